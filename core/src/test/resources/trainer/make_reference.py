"""Reference SGD steps for dev.backprop.nn.Trainer, computed with PyTorch autograd.

Run from this directory with /usr/bin/python3 (torch 1.13):

    /usr/bin/python3 make_reference.py

Writes steps.json: for a small ReLU network (5-7-6-3, batch 4, float64) and each loss
(squared error, softmax cross-entropy with class labels and with soft targets), the starting
parameters, the batch, two SGD steps' losses, the first step's gradients and the parameters
after each step. Layout as in the Java code: W is (out, in), inputs and targets are
(features, batch), one column per example. Floats are written with repr (round-trip exact).
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [5, 7, 6, 3]
N = 4
LR = 0.1


def lst(t):
    return t.detach().to(torch.float64).tolist()


def case(name, loss_name, target_kind, seed):
    g = torch.Generator().manual_seed(seed)
    ws = [torch.randn(o, i, generator=g, dtype=torch.float64) * (2.0 / i) ** 0.5 for i, o in zip(SIZES[:-1], SIZES[1:])]
    bs = [torch.randn(o, 1, generator=g, dtype=torch.float64) * 0.1 for o in SIZES[1:]]
    x = torch.randn(SIZES[0], N, generator=g, dtype=torch.float64)
    if target_kind == "labels":
        labels = torch.randint(0, SIZES[-1], (N,), generator=g)
        y = torch.nn.functional.one_hot(labels, SIZES[-1]).T.to(torch.float64)
    elif target_kind == "soft":
        y = torch.softmax(torch.randn(SIZES[-1], N, generator=g, dtype=torch.float64), dim=0)
    else:
        y = torch.randn(SIZES[-1], N, generator=g, dtype=torch.float64)
    out = {"name": name, "loss": loss_name, "sizes": SIZES, "lr": LR,
           "weights": [lst(w) for w in ws], "biases": [lst(b) for b in bs], "x": lst(x), "y": lst(y)}
    params = [p.clone().requires_grad_() for p in ws + bs]
    K = len(ws)
    for step in (1, 2):
        h = x
        for k in range(K):
            f = params[K + k] + params[k] @ h
            h = torch.relu(f) if k < K - 1 else f
        if loss_name == "squared":
            loss = ((h - y) ** 2).sum(0).mean()
        else:
            # cross_entropy takes (batch, classes) logits; probability targets are its soft form.
            loss = torch.nn.functional.cross_entropy(h.T, y.T)
        loss.backward()
        out["loss%d" % step] = loss.item()
        if step == 1:
            out["dweights"] = [lst(p.grad) for p in params[:K]]
            out["dbiases"] = [lst(p.grad) for p in params[K:]]
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        out["weights%d" % step] = [lst(p) for p in params[:K]]
        out["biases%d" % step] = [lst(p) for p in params[K:]]
    return out


def main():
    cases = [case("squared", "squared", "values", 1),
             case("xent_labels", "xent", "labels", 2),
             case("xent_soft", "xent", "soft", 3)]
    with open(os.path.join(HERE, "steps.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
