# Writes testdata/sklearn_iforest.json: scikit-learn's IsolationForest scores that
# TestSklearnDrawsGolden compares with IsolationForest's draws = "sklearn".
# Debian's python3-sklearn (1.2.1) and python3-numpy (1.24), one thread:
#   OMP_NUM_THREADS=1 python3 bench/odds/sklearn_iforest.py ../shared/data/odds > bench/odds/testdata/sklearn_iforest.json
import json, os, sys, warnings
import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

warnings.simplefilter("ignore")  # max_samples above the row count of the small sets
odds = sys.argv[1]
default = dict(n_estimators=100, max_samples=256, max_features=1.0, random_state=42)
cases = [(n[:-4], default) for n in sorted(os.listdir(odds)) if n.endswith(".csv")]
cases += [  # the other sampling paths and feature subsets
    ("glass", dict(n_estimators=50, max_samples=256, max_features=0.5, random_state=7)),
    ("cardio", dict(n_estimators=100, max_samples=100, max_features=1.0, random_state=3)),
    ("shuttle", dict(n_estimators=60, max_samples=600, max_features=0.7, random_state=1234)),
    ("musk", dict(n_estimators=100, max_samples=3000, max_features=1.0, random_state=5)),
]
out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": []}
for name, p in cases:
    a = np.loadtxt(os.path.join(odds, name + ".csv"), delimiter=",", skiprows=1)
    X, y = a[:, :-1], a[:, -1]
    s = -IsolationForest(**p).fit(X).score_samples(X)
    step = max(1, len(s) // 250)  # every row of the small sets, ~250 rows of the others
    rows = list(range(0, len(s), step))
    out["cases"].append({"set": name, "params": p, "roc_auc": roc_auc_score(y, s),
                         "rows": rows, "scores": [float(s[i]) for i in rows]})
json.dump(out, sys.stdout, separators=(",", ":"))
