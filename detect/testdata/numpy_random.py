# Regenerates numpy_random.json: NumPy legacy RandomState draws that skrand.go must reproduce.
# Run with Debian's python3-numpy and python3-sklearn: python3 numpy_random.py > numpy_random.json
import numpy as np, json
from sklearn.utils.random import sample_without_replacement
out = {}
r = np.random.RandomState(42); out["randint_mask"] = [int(v) for v in r.randint(2**31-1, size=20)]
r = np.random.RandomState(7); out["randint_small"] = [int(r.randint(5)) for _ in range(20)] + [int(r.randint(1)) for _ in range(3)] + [int(r.randint(1000)) for _ in range(10)]
r = np.random.RandomState(123456789); out["raw32"] = [int(v) for v in r.randint(2**32, size=10, dtype=np.uint64)]
r = np.random.RandomState(3); out["perm"] = [int(v) for v in r.permutation(37)]
r = np.random.RandomState(11); out["swr_track"] = [int(v) for v in sample_without_replacement(10, 10, random_state=r)] + [int(v) for v in sample_without_replacement(100000, 256, random_state=r)][:30]
r = np.random.RandomState(12); out["swr_perm"] = [int(v) for v in sample_without_replacement(1000, 256, random_state=r)][:30]
r = np.random.RandomState(13); out["swr_reservoir"] = [int(v) for v in sample_without_replacement(300, 299, random_state=r)][:40] + [int(v) for v in sample_without_replacement(50, 40, random_state=r)]
# argsort (quicksort) with ties and -inf: FastMCD's order among equal determinants
r = np.random.RandomState(21)
ties = []
for n in (5, 16, 17, 30, 83, 500, 2000):
    v = r.randint(0, max(2, n // 6), size=n).astype(float)
    v[r.rand(n) < 0.3] = -np.inf
    ties.append({"v": [str(x) for x in v], "order": [int(i) for i in np.argsort(v)]})
out["argsort"] = ties
print(json.dumps(out))
