#!/usr/bin/env python3
"""Forward mode, HVP, Hessian and Jacobian references from PyTorch (float64) on formulas covering every primitive.

Writes modes.tsv beside this script, one line per (formula, point):
    formula <TAB> x,y,z <TAB> direction <TAB> value <TAB> gradient <TAB> hessian (row-major) <TAB> jvp <TAB> hvp
and jacobian.tsv: pairs of formulas as two outputs f, g of one program:
    f <TAB> g <TAB> x,y,z <TAB> jacobian (row-major, 2x3)
The formulas are written in the syntax backprop and Python both accept (pow, not ^).
ModesAgainstPyTorchTest compares Evaluation.jvp, hvp, hessian and jacobian with these.

Run with: /usr/bin/python3 core/src/test/resources/modes/make_modes.py
"""
import math
import os
import random

import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp

T = lambda v: v if torch.is_tensor(v) else torch.tensor(float(v), dtype=torch.float64)
S = lambda *x: torch.stack([T(v) for v in x])
NS = {
    "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "exp": torch.exp, "log": torch.log,
    "sqrt": torch.sqrt, "tanh": torch.tanh, "atan": torch.atan, "asin": torch.asin, "acos": torch.acos,
    "sinh": torch.sinh, "cosh": torch.cosh, "log1p": torch.log1p, "expm1": torch.expm1,
    "softplus": lambda a: torch.logaddexp(a, torch.zeros_like(a)), "sigmoid": torch.sigmoid,
    "relu": torch.relu, "abs": torch.abs, "sign": torch.sign,
    # step: 1 where a > 0, else 0; a comparison carries no gradient in PyTorch either.
    "step": lambda a: (T(a) > 0).to(torch.float64), "pow": lambda a, b: torch.pow(T(a), T(b)),
    "max": lambda *x: torch.amax(S(*x), 0), "min": lambda *x: torch.amin(S(*x), 0),
    "logsumexp": lambda *x: torch.logsumexp(S(*x), 0),
    "atan2": lambda a, b: torch.atan2(T(a), T(b)), "hypot": lambda a, b: torch.hypot(T(a), T(b)), "pi": math.pi,
}

FORMULAS = [
    "x*sin(y) + pow(y, 2)",
    "pow(x*y - z, 2)/2 + exp(x*z)",
    "log(1 + x*x) * sqrt(2 + y) - tan(z/3)",
    "tanh(x + 2*y) * atan(z) + sigmoid(x*z)",
    "asin(x/2) + acos(y/3) * z",
    "sinh(x) * cosh(y - z) + log1p(x*x*y*y)",
    "expm1(x*y) + softplus(3*z - x)",
    "atan2(y, x + 2) * hypot(x, z) + pow(x*x + 1, y)",
    "logsumexp(x, 2*y, z*z) + max(x, y, z) * min(x*y, z, 1.5)",
    "relu(x - 0.1) * abs(y) + max(x*y, z)",
    "sign(x)*pow(y, 2) + step(z)*x*z - x/(2 + y)",
    "pow(sin(x) + 2, cos(y)) / (1 + hypot(y, z))",
    # the book's toy loss, with x, y, z standing for the data point and one weight
    "pow(0.3 + 0.2*cos(-1.0 + 0.5*exp(0.1 + 0.7*sin(0.2 + z*x))) - y, 2)",
]


def f_of(src):
    def f(v):
        return eval(src, {"__builtins__": {}}, dict(NS, x=v[0], y=v[1], z=v[2]))
    return f


def fmt(xs):
    return ",".join(repr(float(x)) for x in xs)


def main():
    rnd = random.Random(12)
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    for src in FORMULAS:
        for _ in range(4):
            p = torch.tensor([rnd.uniform(-0.9, 0.9) for _ in range(3)], dtype=torch.float64)
            d = torch.tensor([rnd.uniform(-1, 1) for _ in range(3)], dtype=torch.float64)
            f = f_of(src)
            pr = p.clone().requires_grad_(True)
            val = f(pr)
            (grad,) = torch.autograd.grad(val, pr)
            h = hessian(f, p)
            _, jv = jvp(f, p, d)
            _, hv = hvp(f, p, d)
            rows.append("\t".join([src, fmt(p), fmt(d), repr(val.item()), fmt(grad), fmt(h.reshape(-1)),
                                   repr(jv.item()), fmt(hv)]))
    with open(os.path.join(here, "modes.tsv"), "w") as fh:
        fh.write("# made by make_modes.py with torch " + torch.__version__ + "\n")
        fh.write("\n".join(rows) + "\n")
    rows = []
    for i in range(len(FORMULAS) - 1):
        a, b = FORMULAS[i], FORMULAS[i + 1]
        p = torch.tensor([rnd.uniform(-0.9, 0.9) for _ in range(3)], dtype=torch.float64)
        fa, fb = f_of(a), f_of(b)
        j = jacobian(lambda v: torch.stack([fa(v), fb(v)]), p)
        rows.append("\t".join([a, b, fmt(p), fmt(j.reshape(-1))]))
    with open(os.path.join(here, "jacobian.tsv"), "w") as fh:
        fh.write("# made by make_modes.py with torch " + torch.__version__ + "\n")
        fh.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
