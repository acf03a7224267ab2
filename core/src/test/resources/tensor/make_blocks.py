"""PyTorch reference for the tensor building blocks: reductions and normalisations along an axis,
slices, gathers, joins, selection and the three losses.

Run from this directory with /usr/bin/python3 (torch 1.13, float64):

    /usr/bin/python3 make_blocks.py

It rewrites torch_blocks.json here. Each case names a PyTorch operation and its parameters
("op", "axis", ...), lists its inputs, and records the output and the gradient of
sum(output * weights) with respect to every input, with fixed random weights so that every
element of every gradient is exercised with a different factor. Special rows (ties, large values,
infinities, NaN, a logit of exactly 0) sit beside random ones. Floats are written with repr,
so they round-trip exactly; NaN and infinities as Python's json writes them.
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
inf = float("inf")
nan = float("nan")

gen = torch.Generator().manual_seed(20240601)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64)


def as_json(t):
    return {"shape": list(t.shape), "data": t.detach().flatten().tolist()}


cases = []


def case(name, op, inputs, fn, **params):
    """Records op(inputs) and the gradient of sum(op(inputs) * w) for random weights w."""
    xs = [torch.as_tensor(x, dtype=torch.float64).clone().requires_grad_(True) for x in inputs]
    out = fn(*xs)
    w = randn(*out.shape)
    grads = torch.autograd.grad((out * w).sum(), xs)
    entry = {"name": name, "op": op}
    entry.update(params)
    entry.update({
        "inputs": [as_json(x) for x in xs],
        "weights": as_json(w),
        "output": as_json(out),
        "grads": [as_json(g) for g in grads],
    })
    cases.append(entry)


# ---------------------------------------------------------------- reductions along an axis

for op, fn in (("logsumexp", torch.logsumexp), ("amax", torch.amax)):
    case(op + " axis 1", op, [randn(4, 5)], lambda x, fn=fn: fn(x, 1), axis=1, keepdim=False)
    case(op + " axis 0 keepdim", op, [randn(3, 4)], lambda x, fn=fn: fn(x, 0, keepdim=True), axis=0, keepdim=True)
    case(op + " axis -2 rank 3", op, [randn(2, 3, 4)], lambda x, fn=fn: fn(x, -2), axis=-2, keepdim=False)

case("logsumexp special rows", "logsumexp",
     [[[1000.0, 1000.0], [-inf, -inf], [-inf, 0.0], [-1000.0, -1000.5], [inf, 0.0], [1e10, 1e10 + 1]]],
     lambda x: torch.logsumexp(x, 1), axis=1, keepdim=False)
case("amax ties and special rows", "amax",
     [[[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [inf, inf, 0.0], [-inf, -inf, -inf], [nan, 1.0, 2.0], [-1.0, -5.0, -1.0]]],
     lambda x: torch.amax(x, 1), axis=1, keepdim=False)
case("amax ties along axis 0", "amax",
     [[[1.0, 0.0], [1.0, 5.0], [1.0, 5.0]]],
     lambda x: torch.amax(x, 0, keepdim=True), axis=0, keepdim=True)

# ---------------------------------------------------------------- softmax and logSoftmax

for op, fn in (("log_softmax", F.log_softmax), ("softmax", F.softmax)):
    case(op + " axis 1", op, [randn(4, 5)], lambda x, fn=fn: fn(x, 1), axis=1)
    case(op + " axis 0", op, [randn(3, 4)], lambda x, fn=fn: fn(x, 0), axis=0)
    case(op + " axis 1 rank 3", op, [randn(2, 3, 4)], lambda x, fn=fn: fn(x, 1), axis=1)
    case(op + " special rows", op,
         [[[1000.0, 1000.0, 0.0], [1e10, 1e10 + 1, 1e10 - 1], [0.0, -inf, 1.0], [-inf, -inf, -inf], [-1000.0, 0.0, 1000.0]]],
         lambda x, fn=fn: fn(x, 1), axis=1)

# ---------------------------------------------------------------- slices, gathers, joins

case("slice rows", "slice", [randn(4, 3)], lambda x: x[1:3], axis=0, start=1, stop=3)
case("slice columns", "slice", [randn(3, 5)], lambda x: x[:, 0:2], axis=1, start=0, stop=2)
case("slice last axis rank 3", "slice", [randn(2, 3, 4)], lambda x: x[..., 2:4], axis=-1, start=2, stop=4)
case("slice empty", "slice", [randn(3, 2)], lambda x: x[2:2], axis=0, start=2, stop=2)
case("gather rows with repeats", "index_select", [randn(3, 4)],
     lambda x: torch.index_select(x, 0, torch.tensor([2, 0, 2, 2])), axis=0, index=[2, 0, 2, 2])
case("gather columns", "index_select", [randn(2, 4)],
     lambda x: torch.index_select(x, 1, torch.tensor([3, 0, 3])), axis=1, index=[3, 0, 3])
case("gather rank 1", "index_select", [randn(5)],
     lambda x: torch.index_select(x, 0, torch.tensor([4, 4, 1])), axis=0, index=[4, 4, 1])
case("concat rows", "cat", [randn(2, 3), randn(1, 3), randn(3, 3)], lambda *xs: torch.cat(xs, 0), axis=0)
case("concat columns", "cat", [randn(2, 1), randn(2, 3)], lambda *xs: torch.cat(xs, 1), axis=1)
case("concat middle axis rank 3", "cat", [randn(2, 1, 3), randn(2, 2, 3)], lambda *xs: torch.cat(xs, -2), axis=-2)

# ---------------------------------------------------------------- where


def where_case(name, mask, a, b):
    m = torch.as_tensor(mask, dtype=torch.bool)
    case(name, "where", [a, b], lambda a, b: torch.where(m, a, b), mask=as_json(m.double()))


where_case("where same shapes", torch.rand(3, 4, generator=gen) < 0.5, randn(3, 4), randn(3, 4))
where_case("where broadcast", [[True], [False], [True]], randn(3, 4), randn(4))
# NaN and ∞ in the branch not taken must not reach either gradient
where_case("where NaN in the branch not taken", [[True, False, True], [False, True, False]],
           [[1.0, nan, 2.0], [inf, 3.0, -inf]], [[nan, 4.0, inf], [5.0, nan, 6.0]])

# ---------------------------------------------------------------- losses (mean over the batch)

labels = [2, 0, 3, 3, 1]
case("cross entropy", "cross_entropy", [randn(5, 4)], lambda x: F.cross_entropy(x, torch.tensor(labels)), labels=labels)
special = [[1000.0, 0.0, -1000.0], [0.0, -inf, 1.0], [0.0, 0.0, 0.0], [1e10, 1e10 + 1, 1e10 - 1]]
case("cross entropy special rows", "cross_entropy", [special],
     lambda x: F.cross_entropy(x, torch.tensor([1, 2, 0, 1])), labels=[1, 2, 0, 1])
case("bce with logits", "bce_logits", [randn(3, 4), torch.rand(3, 4, generator=gen, dtype=torch.float64)],
     lambda x, y: F.binary_cross_entropy_with_logits(x, y))
case("bce with logits special", "bce_logits",
     [[0.0, 40.0, -40.0, 800.0, -800.0, 1e-300, 0.0], [1.0, 1.0, 0.0, 0.0, 1.0, 0.5, 0.25]],
     lambda x, y: F.binary_cross_entropy_with_logits(x, y))
case("mse", "mse", [randn(3, 4), randn(3, 4)], lambda x, y: F.mse_loss(x, y))
case("mse rank 1", "mse", [randn(6), randn(6)], lambda x, y: F.mse_loss(x, y))

# a linear classifier: logits = x·W + b (b broadcast over rows), its cross-entropy
x_data = randn(6, 3)
clabels = [0, 2, 1, 1, 3, 0]
case("linear classifier", "classifier", [randn(3, 4), randn(1, 4)],
     lambda w, b: F.cross_entropy(x_data @ w + b, torch.tensor(clabels)),
     x=as_json(x_data), labels=clabels)

with open(os.path.join(HERE, "torch_blocks.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
