"""Reference training runs for dev.backprop.optim.Parameters, computed with PyTorch's optimisers.

Run from this directory with /usr/bin/python3 (torch 1.13):

    /usr/bin/python3 make_parameters.py

Writes parameters.json: a 1-4-1 ReLU network (weights (out, in), inputs and targets (1, N), one
column per point, float64), its starting parameters and data, and for each optimiser (plain
gradient descent, torch.optim.SGD; Adam with beta=0.9, gamma=0.999, eps=1e-8, torch.optim.Adam)
the loss at each of STEPS steps and the parameters after the last one. The loss is the sum of
squared errors. Floats are written with repr (round-trip exact).
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 25
N = 6


def lst(t):
    return t.detach().to(torch.float64).tolist()


def run(make_optimizer, start, x, y):
    params = [p.clone().requires_grad_() for p in start]
    opt = make_optimizer(params)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        w0, b0, w1, b1 = params
        f = w1 @ torch.relu(w0 @ x + b0) + b1
        loss = ((f - y) ** 2).sum()
        loss.backward()
        losses.append(loss.item())
        opt.step()
    return {"losses": losses, "params": {n: lst(p) for n, p in zip(["omega0", "beta0", "omega1", "beta1"], params)}}


def main():
    g = torch.Generator().manual_seed(3)
    start = [torch.randn(4, 1, generator=g, dtype=torch.float64),
             torch.randn(4, 1, generator=g, dtype=torch.float64) * 0.5,
             torch.randn(1, 4, generator=g, dtype=torch.float64) * 0.5,
             torch.zeros(1, 1, dtype=torch.float64)]
    x = torch.linspace(-2, 2, N, dtype=torch.float64).reshape(1, N)
    y = torch.sin(2 * x)
    out = {"steps": STEPS, "x": lst(x), "y": lst(y),
           "start": {n: lst(p) for n, p in zip(["omega0", "beta0", "omega1", "beta1"], start)},
           "gd": run(lambda ps: torch.optim.SGD(ps, lr=0.01), start, x, y),
           "adam": run(lambda ps: torch.optim.Adam(ps, lr=0.05, betas=(0.9, 0.999), eps=1e-8), start, x, y)}
    out["gd"]["lr"] = 0.01
    out["adam"]["lr"] = 0.05
    with open(os.path.join(HERE, "parameters.json"), "w") as fh:
        json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
