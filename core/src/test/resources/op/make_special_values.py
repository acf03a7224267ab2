#!/usr/bin/env python3
"""Reference values and local derivatives of every primitive at special arguments, from PyTorch (float64).

Writes special_values.csv beside this script: one row per (primitive, a, b) with PyTorch's value y and
its gradients da = dy/da, db = dy/db (empty for unary primitives); and special_values_3.csv, the
variadic primitives (max, min, logsumexp) of three arguments: op,a,b,c,y,da,db,dc. OpTest compares
Op's numeric and expression rules with these, and lists each deliberate difference with its reason.

Run with: /usr/bin/python3 core/src/test/resources/op/make_special_values.py
"""
import math
import os

import torch

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 2.0, 3.0, 1000.0, -1000.0, 1e-300, -1e-300, 1e-310, -1e-310, 1e300, -1e300,
           math.inf, -math.inf, math.nan]

UNARY = {
    "NEG": lambda a: -a,
    "SIN": torch.sin, "COS": torch.cos, "TAN": torch.tan, "EXP": torch.exp, "LOG": torch.log,
    "SQRT": torch.sqrt, "TANH": torch.tanh, "ATAN": torch.atan, "SIGMOID": torch.sigmoid, "RELU": torch.relu,
    "ABS": torch.abs, "SIGN": torch.sign,
    "ASIN": torch.asin, "ACOS": torch.acos, "SINH": torch.sinh, "COSH": torch.cosh,
    "LOG1P": torch.log1p, "EXPM1": torch.expm1,
    # log(1 + e^a) exactly; F.softplus returns a itself above its threshold of 20.
    "SOFTPLUS": lambda a: torch.logaddexp(a, torch.zeros_like(a)),
    # step: 1 where a > 0, else 0; its derivative is 0 by definition (torch.heaviside has none).
    "STEP": None,
}
BINARY = {
    "ADD": lambda a, b: a + b, "SUB": lambda a, b: a - b, "MUL": lambda a, b: a * b,
    "DIV": lambda a, b: a / b, "POW": torch.pow, "MAX": torch.maximum, "MIN": torch.minimum,
    "ATAN2": torch.atan2, "HYPOT": torch.hypot,
    "LOGSUMEXP": lambda a, b: torch.logsumexp(torch.stack([a, b]), 0),
}
# Three arguments: amax/amin share a tie's gradient equally, as Op's variadic max and min do.
TERNARY = {
    "MAX": lambda x: torch.amax(x, 0), "MIN": lambda x: torch.amin(x, 0),
    "LOGSUMEXP": lambda x: torch.logsumexp(x, 0),
}
SPECIAL_3 = [0.0, 1.0, -1.0, 2.0, 1000.0, -1000.0, 1e300, math.inf, -math.inf, math.nan]


def fmt(x):
    if x is None:
        return ""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def main():
    rows = ["op,a,b,y,da,db"]
    for name, f in UNARY.items():
        for a in SPECIAL:
            ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
            if f is None:
                y = torch.heaviside(ta.detach(), torch.tensor(0.0, dtype=torch.float64))
                da = 0.0
            else:
                y = f(ta)
                y.backward()
                da = ta.grad.item()
            rows.append(",".join([name, fmt(a), "", fmt(y.item()), fmt(da), ""]))
    for name, f in BINARY.items():
        for a in SPECIAL:
            for b in SPECIAL:
                ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
                tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
                y = f(ta, tb)
                y.backward()
                rows.append(",".join([name, fmt(a), fmt(b), fmt(y.item()), fmt(ta.grad.item()), fmt(tb.grad.item())]))
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "special_values.csv"), "w") as fh:
        fh.write("# made by make_special_values.py with torch " + torch.__version__ + "\n")
        fh.write("\n".join(rows) + "\n")
    rows = ["op,a,b,c,y,da,db,dc"]
    for name, f in TERNARY.items():
        for a in SPECIAL_3:
            for b in SPECIAL_3:
                for c in SPECIAL_3:
                    x = torch.tensor([a, b, c], dtype=torch.float64, requires_grad=True)
                    y = f(x)
                    y.backward()
                    rows.append(",".join([name, fmt(a), fmt(b), fmt(c), fmt(y.item())] + [fmt(g) for g in x.grad.tolist()]))
    with open(os.path.join(here, "special_values_3.csv"), "w") as fh:
        fh.write("# made by make_special_values.py with torch " + torch.__version__ + "\n")
        fh.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
