"""Reference runs of `backprop train --loss xent`, computed with PyTorch autograd (float64).

Run from this directory with /usr/bin/python3 (torch 1.13, numpy):

    /usr/bin/python3 make_reference.py

Writes
  data.csv       10 rows: inputs x1, x2, x3, an unused text column `species` between them,
                 and `label`, class labels 0, 1, 2;
  net.json       a 3-5-5-3 ReLU network in the format `train --out` writes (W is (out, in), one
                 row per output unit; b is a list), the starting point of every case (--init);
  expected.json  for each optimiser: the command's options, the loss (torch.nn.functional.
                 cross_entropy, reduction 'mean') and accuracy at the start and at the end, the
                 parameters after the steps, and for the first case the gradient at the start.

The optimisers are the book's (eqs. 6.3, 6.11, 6.12, 6.15-6.17): gradient descent, and momentum
and Nesterov written out below (PyTorch's SGD momentum differs by the factor 1 - beta), with
every gradient from autograd; Adam is torch.optim.Adam. Mini-batches follow backprop's schedule:
each epoch visits the rows in the order of np.random.RandomState(seed).permutation(n), in
batches of B (the last may be smaller), and each batch's loss is its mean.
Floats are written with repr, so they read back exactly.
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [3, 5, 5, 3]
N = 10
SPECIES = ["setosa", "versicolor", "virginica"]


def lst(t):
    return t.detach().to(torch.float64).tolist()


def forward(params, x):
    k = len(params) // 2
    h = x
    for i in range(k):
        f = params[2 * i + 1] + params[2 * i] @ h
        h = torch.relu(f) if i < k - 1 else f
    return h


def loss_of(params, x, labels):
    # cross_entropy takes (batch, classes) logits and averages over the batch.
    return torch.nn.functional.cross_entropy(forward(params, x).T, labels)


def accuracy(params, x, labels):
    with torch.no_grad():
        return (forward(params, x).argmax(0) == labels).double().mean().item()


def gradient(params, x, labels):
    ps = [p.detach().clone().requires_grad_() for p in params]
    loss = loss_of(ps, x, labels)
    loss.backward()
    return loss.item(), [p.grad.detach() for p in ps]


def batches(steps, batch, seed):
    rs = np.random.RandomState(seed)
    order, pos = None, N
    for _ in range(steps):
        if batch >= N:
            yield np.arange(N)
            continue
        if pos >= N:
            order = rs.permutation(N)
            pos = 0
        end = min(pos + batch, N)
        yield order[pos:end]
        pos = end


def run(name, args, params, x, labels, steps, lr, batch=N, beta=0.9, kind="gd"):
    ps = [p.clone() for p in params]
    m = [torch.zeros_like(p) for p in ps]
    adam = None
    if kind == "adam":
        ps = [p.clone().requires_grad_() for p in ps]
        adam = torch.optim.Adam(ps, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    for rows in batches(steps, batch, 0):
        idx = torch.as_tensor(rows)
        xb, lb = x[:, idx], labels[idx]
        if kind == "adam":
            adam.zero_grad()
            loss_of(ps, xb, lb).backward()
            adam.step()
            continue
        at = [p - lr * beta * mi for p, mi in zip(ps, m)] if kind == "nesterov" else ps
        _, g = gradient(at, xb, lb)
        if kind == "gd":
            ps = [p - lr * gi for p, gi in zip(ps, g)]
        else:
            m = [beta * mi + (1 - beta) * gi for mi, gi in zip(m, g)]
            ps = [p - lr * mi for p, mi in zip(ps, m)]
    ps = [p.detach() for p in ps]
    out = {"name": name, "args": args,
           "initial_loss": loss_of(params, x, labels).item(), "initial_accuracy": accuracy(params, x, labels),
           "loss": loss_of(ps, x, labels).item(), "accuracy": accuracy(ps, x, labels),
           "params": {}}
    for k in range(len(ps) // 2):
        out["params"]["omega%d" % k] = lst(ps[2 * k])
        out["params"]["beta%d" % k] = lst(ps[2 * k + 1].reshape(-1))
    return out


def main():
    g = torch.Generator().manual_seed(11)
    ws = [torch.randn(o, i, generator=g, dtype=torch.float64) * (2.0 / i) ** 0.5 for i, o in zip(SIZES[:-1], SIZES[1:])]
    bs = [torch.randn(o, 1, generator=g, dtype=torch.float64) * 0.1 for o in SIZES[1:]]
    params = [t for pair in zip(ws, bs) for t in pair]
    x = torch.randn(SIZES[0], N, generator=g, dtype=torch.float64)
    labels = torch.randint(0, SIZES[-1], (N,), generator=g)

    with open(os.path.join(HERE, "data.csv"), "w") as f:
        f.write("x1,x2,species,x3,label\n")
        for j in range(N):
            f.write("%r,%r,%s,%r,%d\n" % (x[0, j].item(), x[1, j].item(), SPECIES[j % 3], x[2, j].item(), labels[j].item()))

    net = {"inputs": ["x1", "x2", "x3"], "targets": ["label"], "classifier": True, "classes": SIZES[-1], "params": {}}
    for k in range(len(ws)):
        net["params"]["omega%d" % k] = lst(ws[k])
        net["params"]["beta%d" % k] = lst(bs[k].reshape(-1))
    with open(os.path.join(HERE, "net.json"), "w") as f:
        json.dump(net, f)
        f.write("\n")

    loss0, grads = gradient(params, x, labels)
    cases = [
        run("gd", ["--optimizer", "gd", "--lr", "0.1", "--steps", "2"], params, x, labels, 2, 0.1),
        run("sgd", ["--optimizer", "sgd", "--lr", "0.1", "--steps", "3", "--batch", "4"], params, x, labels, 3, 0.1,
            batch=4),
        run("momentum", ["--optimizer", "momentum", "--lr", "0.1", "--beta", "0.9", "--steps", "3"], params, x, labels,
            3, 0.1, kind="momentum"),
        run("nesterov", ["--optimizer", "nesterov", "--lr", "0.1", "--beta", "0.9", "--steps", "3"], params, x, labels,
            3, 0.1, kind="nesterov"),
        run("adam", ["--optimizer", "adam", "--lr", "0.01", "--steps", "3"], params, x, labels, 3, 0.01, kind="adam"),
    ]
    cases[0]["gradient"] = {}
    for k in range(len(ws)):
        cases[0]["gradient"]["omega%d" % k] = lst(grads[2 * k])
        cases[0]["gradient"]["beta%d" % k] = lst(grads[2 * k + 1].reshape(-1))
    assert cases[0]["initial_loss"] == loss0
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
