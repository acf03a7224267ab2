#!/usr/bin/python3
"""The curvature of `backprop fit --demo`'s loss at its starting point, by PyTorch.

The README explains `fit --demo --compare`'s learning-rate grid (down to 1e-6) with this number:
plain gradient descent is stable only for alpha < 2 / lambda_max of the loss's Hessian.
Data as core's dev.backprop.book.Demo makes it: numpy RandomState(0), 100 x's uniform in [-4, 4],
then y = f[x, phi_true] + N(0, 0.1^2); the loss is the sum of squared errors over the points.

Run: /usr/bin/python3 examples/demo_curvature.py
"""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.RandomState(0)
x = torch.tensor(rng.uniform(-4, 4, 100))
TRUE = [0.8, 2.2, -3.2, 0.2, 0.2, -0.6, 1.8, 2.6]
INITIAL = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0]


def model(p, x):
    b0, b1, b2, b3, w0, w1, w2, w3 = p
    return b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))


y = model(torch.tensor(TRUE), x) + torch.tensor(rng.normal(0, 0.1, 100))


def loss(p):
    return ((model(p, x) - y) ** 2).sum()


start = torch.tensor(INITIAL)
eig = torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, start))
print("loss at the start:", loss(start).item())
print("Hessian eigenvalues:", ", ".join("%.4g" % e for e in eig.tolist()))
print("largest: %.4g, so gd is stable only for alpha < %.3g" % (eig[-1].item(), 2 / eig[-1].item()))
