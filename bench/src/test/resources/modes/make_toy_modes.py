#!/usr/bin/env python3
"""Reference for ToyModesTest: the toy loss's H·v, 8×8 Hessian and JVP, summed over N points, by PyTorch.

The notebook 7.1 loss (b3 + w3*cos(b2 + w2*exp(b1 + w1*sin(b0 + w0*x))) - y)^2, float64, at the
notebook's parameters b = (1, 2, -3, 0.4), w = (0.1, -0.4, 2, 3), on the points ToyData.generate(N)
draws (np.random.seed(0), 2N uniform draws in [-2, 2] taken alternately as x and y), along the
direction ToyData.DIRECTION. Independent of our engine: torch.autograd.functional's hessian, hvp
and jvp. Writes toy_modes.json beside this script.

Run with: /usr/bin/python3 bench/src/test/resources/modes/make_toy_modes.py
"""
import json
import os

import numpy as np
import torch
from torch.autograd.functional import hessian, hvp, jvp

N = 2049  # four blocks of 512 and one point more: the kernels' tails run too
PARAMETERS = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0]  # beta0..beta3, omega0..omega3
DIRECTION = [0.5, -0.25, 0.125, 1.0, -1.0, 0.75, -0.5, 0.25]

np.random.seed(0)
u = np.random.uniform(-2.0, 2.0, 2 * N)
x = torch.from_numpy(np.ascontiguousarray(u[0::2]))
y = torch.from_numpy(np.ascontiguousarray(u[1::2]))


def total(p):
    b0, b1, b2, b3, w0, w1, w2, w3 = p
    return ((b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))) - y).pow(2).sum()


p = torch.tensor(PARAMETERS, dtype=torch.float64)
v = torch.tensor(DIRECTION, dtype=torch.float64)
out = {
    "n": N,
    "direction": DIRECTION,
    "loss": total(p).item(),
    "hvp": hvp(total, p, v)[1].tolist(),
    "hessian": hessian(total, p).tolist(),
    "jvp": jvp(total, p, v)[1].item(),
    "torch": torch.__version__,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "toy_modes.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
