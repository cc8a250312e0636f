#!/usr/bin/env python3
"""Reference seed spread of scikit-learn on the ODDS sets (not part of the Go build).

Measures how much scikit-learn's own ROC-AUC moves with random_state, the yardstick for
comparing a reimplementation whose random draws necessarily differ from NumPy's. Needs
Debian's python3-sklearn (1.2.1, the version of BASELINES.md):

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/odds/sklearn_seeds.py iforest 10
    OMP_NUM_THREADS=1 /usr/bin/python3 bench/odds/sklearn_seeds.py elliptic 5 cardio.csv wbc.csv

Prints: set, ROC-AUC at seed 42, mean, sample sd, min, max over seeds 42, 43, ...
"""
import glob
import os
import sys
import warnings

import numpy as np
from sklearn.covariance import EllipticEnvelope
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

warnings.filterwarnings("ignore")
DATA = os.environ.get("TOPOFORGE_ODDS", os.path.join(os.path.dirname(__file__), "../../../shared/data/odds"))


def model(kind, seed):
    if kind == "iforest":
        return IsolationForest(n_estimators=100, max_samples=256, random_state=seed)
    return EllipticEnvelope(random_state=seed)


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    names = sys.argv[3:] or sorted(os.path.basename(p) for p in glob.glob(os.path.join(DATA, "*.csv")))
    for name in names:
        d = np.loadtxt(os.path.join(DATA, name), delimiter=",", skiprows=1)
        x, y = d[:, :-1], d[:, -1]
        r = np.array([roc_auc_score(y, -model(kind, s).fit(x).score_samples(x)) for s in range(42, 42 + n)])
        print("%s %.4f %.4f %.4f %.4f %.4f" % (name, r[0], r.mean(), r.std(ddof=1), r.min(), r.max()), flush=True)


if __name__ == "__main__":
    main()
