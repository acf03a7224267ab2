#!/usr/bin/env python3
"""PyTorch (float64) references for custom functions: CustomFunctionTest and the README's example.

Writes reference.tsv beside this script, one line per (case, point):
    case <TAB> point (name=value,... in the formula's input order) <TAB> value
         <TAB> gradient (name=value,...) <TAB> Hessian (rows ';'-separated, entries ',')
The custom functions are written out here as PyTorch expressions, so the numbers depend on none of
backprop's code:
    swish(z) = z*sigmoid(z);  g(u, v, w) = u*v^2 + sin(w*u)      (CustomFunctionTest)
    swish(z) as above;        g(u, v) = u*exp(-v^2)               (the README's example)

Run with: /usr/bin/python3 core/src/test/resources/custom/make_reference.py
"""
import os

import torch
from torch.autograd.functional import hessian


def swish(z):
    return z * torch.sigmoid(z)


def g3(u, v, w):
    return u * v ** 2 + torch.sin(w * u)


def g2(u, v):
    return u * torch.exp(-v ** 2)


def test_formula(a, x, b, y):
    # h = swish(a*x + b); l = (h - y)^2 + g(a, h, b*x)
    h = swish(a * x + b)
    return (h - y) ** 2 + g3(a, h, b * x)


def readme_formula(a, x, b, y):
    # l = (swish(a*x + b) - y)^2 + g(a, b)
    return (swish(a * x + b) - y) ** 2 + g2(a, b)


def readme_square(a, b):
    # g(a, b)^2
    return g2(a, b) ** 2


CASES = [
    ("test", test_formula, ["a", "x", "b", "y"], [
        {"a": 0.7, "x": 1.3, "b": -0.4, "y": 0.2},
        {"a": -1.1, "x": 0.5, "b": 2.0, "y": -0.3},
        {"a": 0.3, "x": -2.2, "b": 0.1, "y": 1.5},
    ]),
    ("readme", readme_formula, ["a", "x", "b", "y"], [{"a": 0.5, "x": 2.0, "b": -0.2, "y": 0.3}]),
    ("readme_square", readme_square, ["a", "b"], [{"a": 0.5, "b": -0.2}]),
]


def main():
    lines = []
    for name, f, inputs, points in CASES:
        for p in points:
            xs = tuple(torch.tensor(p[n], dtype=torch.float64, requires_grad=True) for n in inputs)
            value = f(*xs)
            grad = torch.autograd.grad(value, xs)
            hess = hessian(f, tuple(torch.tensor(p[n], dtype=torch.float64) for n in inputs))
            lines.append("\t".join([
                name,
                ",".join(f"{n}={p[n]!r}" for n in inputs),
                repr(value.item()),
                ",".join(f"{n}={d.item()!r}" for n, d in zip(inputs, grad)),
                ";".join(",".join(repr(hess[r][c].item()) for c in range(len(inputs))) for r in range(len(inputs))),
            ]))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.tsv")
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
