# Writes sklearn_iforest_synthetic.json: small tables with constant columns, few
# distinct values and duplicate rows, and scikit-learn's IsolationForest scores on
# them, for TestSklearnDrawsSynthetic. Debian's python3-sklearn 1.2.1:
#   python3 sklearn_iforest_synthetic.py > sklearn_iforest_synthetic.json
import json, sys, warnings
import numpy as np
from sklearn.ensemble import IsolationForest

warnings.simplefilter("ignore")
rng = np.random.RandomState(2026)
cases = []

def case(X, **p):
    s = -IsolationForest(**p).fit(X).score_samples(X)
    cases.append({"x": X.tolist(), "params": p, "scores": s.tolist()})

# 258 rows: max_samples 256 draws by reservoir sampling (ratio >= 0.99).
X = np.column_stack([
    rng.normal(size=258),
    np.full(258, 3.0),                 # constant everywhere
    rng.randint(0, 3, size=258) * 1.5,  # three values: often constant in a node
    rng.exponential(size=258) * 1e3,
    np.round(rng.normal(size=258), 1),  # coarse: ties and float32 rounding
])
X[200:230] = X[0]                      # duplicate rows
case(X, n_estimators=37, max_samples=256, max_features=0.6, random_state=0)
case(X, n_estimators=20, max_samples=64, random_state=99)
# Values that float32 rounds together: thresholds fall between float64 inputs.
Y = np.column_stack([1 + rng.randint(0, 20, size=120) * 3e-8, rng.normal(size=120)])
case(Y, n_estimators=25, max_samples=100, random_state=4)
# A single column and a single row.
case(rng.normal(size=(50, 1)), n_estimators=10, random_state=8)
case(np.array([[1.0, 2.0]]), n_estimators=5, random_state=1)
json.dump({"cases": cases}, sys.stdout, separators=(",", ":"))
