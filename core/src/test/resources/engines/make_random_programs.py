#!/usr/bin/env python3
"""Random formula programs evaluated by PyTorch (float64): value and gradient at smooth points and kinks.

Writes random_programs.tsv beside this script, one line per (program, point):
    program <TAB> inputs (name=value,...) <TAB> value <TAB> gradient (name=value,...)
Programs are statements `sK = expression` joined by '; ', in the syntax both backprop's formula
language and Python accept (pow(a, b), max, min, relu, step, sign, sigmoid, pi), with shared
intermediates, aliases and dead statements. Points are smooth (inputs in [-2, 2]) or kinks (an input
at 0, ties x = p). EnginesAgreeTest evaluates each with every engine and compares where PyTorch's
value and gradient are finite.

Run with: /usr/bin/python3 core/src/test/resources/engines/make_random_programs.py
"""
import math
import os
import random

import torch

INPUTS = ["x", "y", "z", "p", "q"]
UNARY = ["neg", "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "step", "sign",
         "atan", "asin", "acos", "sinh", "cosh", "log1p", "expm1", "softplus"]
BINARY = ["+", "-", "*", "/", "pow", "max", "min", "atan2", "hypot", "logsumexp"]
VARIADIC = ["max", "min", "logsumexp"]


def T(v):
    return v if torch.is_tensor(v) else torch.tensor(float(v), dtype=torch.float64)


NAMESPACE = {
    "pi": math.pi,
    "sin": lambda a: torch.sin(T(a)), "cos": lambda a: torch.cos(T(a)), "tan": lambda a: torch.tan(T(a)),
    "exp": lambda a: torch.exp(T(a)), "log": lambda a: torch.log(T(a)), "sqrt": lambda a: torch.sqrt(T(a)),
    "tanh": lambda a: torch.tanh(T(a)), "sigmoid": lambda a: torch.sigmoid(T(a)),
    "relu": lambda a: torch.relu(T(a)), "abs": lambda a: torch.abs(T(a)),
    # step's derivative is 0: a comparison carries no gradient in PyTorch either.
    "step": lambda a: (T(a) > 0).to(torch.float64), "sign": lambda a: torch.sign(T(a)),
    "pow": lambda a, b: torch.pow(T(a), T(b)),
    # Of two or more: amax and amin share a tie's gradient equally among the tied arguments.
    "max": lambda *x: torch.amax(torch.stack([T(v) for v in x]), 0),
    "min": lambda *x: torch.amin(torch.stack([T(v) for v in x]), 0),
    "logsumexp": lambda *x: torch.logsumexp(torch.stack([T(v) for v in x]), 0),
    "atan": lambda a: torch.atan(T(a)), "asin": lambda a: torch.asin(T(a)), "acos": lambda a: torch.acos(T(a)),
    "sinh": lambda a: torch.sinh(T(a)), "cosh": lambda a: torch.cosh(T(a)),
    "log1p": lambda a: torch.log1p(T(a)), "expm1": lambda a: torch.expm1(T(a)),
    # log(1 + e^a) exactly (F.softplus returns a itself above 20).
    "softplus": lambda a: torch.logaddexp(T(a), torch.zeros((), dtype=torch.float64)),
    "atan2": lambda a, b: torch.atan2(T(a), T(b)), "hypot": lambda a, b: torch.hypot(T(a), T(b)),
}


def expression(rnd, names, depth):
    if depth == 0 or rnd.randrange(4) == 0:
        k = rnd.randrange(len(names) + 2)
        if k < len(names):
            return names[-1 - rnd.randrange(min(3, len(names)))] if rnd.random() < 0.5 else names[k]
        return rnd.choice(["2", "0.5", "3", "1", "pi"])
    if rnd.randrange(5) < 2:
        op = rnd.choice(UNARY)
        a = expression(rnd, names, depth - 1)
        return "-(" + a + ")" if op == "neg" else op + "(" + a + ")"
    op = rnd.choice(BINARY)
    a = expression(rnd, names, depth - 1)
    b = expression(rnd, names, depth - 1)
    if op in VARIADIC and rnd.random() < 0.5:
        return op + "(" + a + ", " + b + ", " + expression(rnd, names, depth - 1) + ")"
    return "(" + a + " " + op + " " + b + ")" if op in "+-*/" else op + "(" + a + ", " + b + ")"


def program(rnd):
    names = list(INPUTS)
    lines = []
    for s in range(2 + rnd.randrange(5)):
        expr = names[-1] if rnd.randrange(8) == 0 else expression(rnd, names, 3)
        lines.append("s%d = %s" % (s, expr))
        names.append("s%d" % s)
    if rnd.random() < 0.5:
        lines.insert(len(lines) - 1, "dead = " + expression(rnd, ["z", "q", "y"], 2))
    return "; ".join(lines)


def fmt(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def main():
    rnd = random.Random(20261201)
    out = []
    for _ in range(250):
        src = program(rnd)
        for point in range(4):
            at = {n: round(rnd.uniform(-2, 2), 3) for n in INPUTS}
            if point == 2:
                at[rnd.choice(INPUTS)] = 0.0
            if point == 3:
                at["x"] = at["p"]
            env = dict(NAMESPACE)
            leaves = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in at.items()}
            env.update(leaves)
            exec(src, env)
            last = src.split(";")[-1].split("=")[0].strip()
            y = T(env[last])
            if y.requires_grad:
                grads = torch.autograd.grad(y, list(leaves.values()), allow_unused=True)
            else:
                grads = [None] * len(leaves)
            g = {n: (0.0 if d is None else d.item()) for n, d in zip(leaves, grads)}
            out.append("\t".join([
                src,
                ",".join("%s=%s" % (n, fmt(v)) for n, v in at.items()),
                fmt(y.item()),
                ",".join("%s=%s" % (n, fmt(v)) for n, v in g.items()),
            ]))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random_programs.tsv")
    with open(path, "w") as fh:
        fh.write("# made by make_random_programs.py with torch " + torch.__version__ + "\n")
        fh.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
