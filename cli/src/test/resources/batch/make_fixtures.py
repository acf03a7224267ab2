"""Reference for `backprop grad TOY --data`: the toy loss summed over rows and its gradient,
from numpy with the notebook's hand-derived backward pass (independent of backprop's engine).

Run: python3 make_fixtures.py   (writes toy.csv, x.npy, y.npy, expected.json beside this file)
"""
import json
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(4)
n = 1234
x = rng.uniform(-2, 2, n)
y = rng.uniform(-2, 2, n)
b0, b1, b2, b3 = 1.0, 2.0, -3.0, 0.4
w0, w1, w2, w3 = 0.1, -0.4, 2.0, 3.0

f0 = b0 + w0 * x
h1 = np.sin(f0)
f1 = b1 + w1 * h1
h2 = np.exp(f1)
f2 = b2 + w2 * h2
h3 = np.cos(f2)
f3 = b3 + w3 * h3
l = (f3 - y) ** 2

dl_df3 = 2 * (f3 - y)
dl_df2 = -np.sin(f2) * w3 * dl_df3
dl_df1 = np.exp(f1) * w2 * dl_df2
dl_df0 = np.cos(f0) * w1 * dl_df1
grad = {
    "beta0": dl_df0.sum(), "omega0": (x * dl_df0).sum(),
    "beta1": dl_df1.sum(), "omega1": (h1 * dl_df1).sum(),
    "beta2": dl_df2.sum(), "omega2": (h2 * dl_df2).sum(),
    "beta3": dl_df3.sum(), "omega3": (h3 * dl_df3).sum(),
}
with open(os.path.join(here, "toy.csv"), "w") as f:
    f.write("x,y\n")
    for a, b in zip(x, y):
        f.write(f"{float(a)!r},{float(b)!r}\n")
np.save(os.path.join(here, "x.npy"), x)
np.save(os.path.join(here, "y.npy"), y)
with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump({"n": n, "value": float(l.sum()), "mean": float(l.mean()),
               "gradient": {k: float(v) for k, v in grad.items()}}, f, indent=1)
