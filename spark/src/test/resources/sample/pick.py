"""Reference rows for SparkData.pick: Floyd's algorithm drawing with numpy's legacy RandomState.

For j = total - k, ..., total - 1: t = randint(0, j + 1); keep j if t is already kept, else t.
Run: /usr/bin/python3 pick.py > pick.txt   (numpy only; one line "total k seed: rows..." per case)
"""
import numpy as np

CASES = [(10_000, 8, 0), (10_000, 8, 1), (100_000_000_000, 5, 42), (20, 20, 3), (7, 3, 4294967295)]

for total, k, seed in CASES:
    rng = np.random.RandomState(seed)
    chosen = set()
    for j in range(total - k, total):
        t = int(rng.randint(0, j + 1, dtype=np.int64))
        chosen.add(j if t in chosen else t)
    print(f"{total} {k} {seed}: " + " ".join(str(r) for r in sorted(chosen)))
