"""PyTorch reference for double backward on tensors: gradients of gradients.

Run from this directory with /usr/bin/python3 (torch 1.13, float64):

    /usr/bin/python3 make_double_backward.py

It rewrites torch_double_backward.json here. Each case is a small program f of tensor inputs
(named by "program", with "op" for the elementwise families) and the fixed tensors it reads
("constants": weights, masks, data). For each case it records, from torch.autograd.grad with
create_graph=True:

  f          the value
  grads      g_k = df/dx_k for every input
  hvp        d(sum_k <g_k, v_k>)/dx_k: the Hessian times the directions v (stored as "v")
  penalty    d(P)/dx_k for the gradient penalty P = sum_k sum(g_k * g_k), or, where the case says
             "penalty": "row_norm", P = mean((||df/dx_0|| along rows - 1)^2) (WGAN-GP)

Every elementwise primitive of the library's Op table is a case f = sum(w * y + u * y * y),
y = op(inputs), so both its first and second derivatives enter; every structural rule is a case of
its own, and two programs combine them: a two-layer MLP with softmax cross-entropy and a critic
with a gradient penalty. A gradient torch leaves undefined (a piecewise-constant function) is
written as zeros, as autograd.grad(..., materialize_grads) would. Floats are written with repr, so
they round-trip exactly.
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240617)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen)


def uniform(lo, hi, *shape):
    return lo + (hi - lo) * torch.rand(tuple(shape), generator=gen)


def as_json(t):
    t = torch.as_tensor(t)
    return {"shape": list(t.shape), "data": t.detach().flatten().tolist()}


def grad(out, xs):
    """d out / d xs with create_graph; zeros where out does not depend on an input."""
    if not out.requires_grad:
        return [torch.zeros_like(x) for x in xs]
    gs = torch.autograd.grad(out, xs, create_graph=True, allow_unused=True)
    return [torch.zeros_like(x) if g is None else g for g, x in zip(gs, xs)]


cases = []


def case(name, program, inputs, constants, fn, penalty="sum_squares", **params):
    xs = [torch.as_tensor(x).clone().requires_grad_(True) for x in inputs]
    cs = [torch.as_tensor(c) for c in constants]
    f = fn(xs, cs)
    gs = grad(f, xs)
    vs = [randn(*x.shape) for x in xs]
    hvp = grad(sum((g * v).sum() for g, v in zip(gs, vs)), xs)
    if penalty == "row_norm":
        p = ((gs[0].pow(2).sum(1).sqrt() - 1) ** 2).mean()
    else:
        p = sum((g * g).sum() for g in gs)
    dp = grad(p, xs)
    entry = {"name": name, "program": program, "penalty": penalty}
    entry.update(params)
    entry.update({
        "inputs": [as_json(x) for x in xs],
        "constants": [as_json(c) for c in cs],
        "v": [as_json(v) for v in vs],
        "f": f.item(),
        "grads": [as_json(g) for g in gs],
        "hvp": [as_json(h) for h in hvp],
        "penalty_grads": [as_json(d) for d in dp],
    })
    cases.append(entry)


def elementwise(y, cs):
    w, u = cs
    return (w * y + u * y * y).sum()


# ---------------------------------------------------------------- every elementwise primitive

unary = {
    "neg": torch.neg, "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "exp": torch.exp,
    "log": torch.log, "sqrt": torch.sqrt, "tanh": torch.tanh, "atan": torch.atan, "asin": torch.asin,
    "acos": torch.acos, "sinh": torch.sinh, "cosh": torch.cosh, "log1p": torch.log1p,
    "expm1": torch.expm1, "softplus": F.softplus, "sigmoid": torch.sigmoid, "relu": torch.relu,
    "abs": torch.abs, "sign": torch.sign,
    # torch has no derivative for heaviside; step's is 0, so a constant of the same values is it
    "step": lambda x: (x > 0).to(x.dtype),
}
for op, fn in unary.items():
    if op in ("log", "sqrt"):
        x = uniform(0.2, 2.0, 3, 4)
    elif op in ("asin", "acos"):
        x = uniform(-0.9, 0.9, 3, 4)
    elif op == "log1p":
        x = uniform(-0.5, 2.0, 3, 4)
    else:
        x = uniform(-1.5, 1.5, 3, 4)
    case("unary " + op, "elementwise", [x], [randn(3, 4), randn(3, 4)],
         lambda xs, cs, fn=fn: elementwise(fn(xs[0]), cs), op=op)

binary = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
    "max": torch.maximum, "min": torch.minimum, "atan2": torch.atan2, "hypot": torch.hypot,
    "logsumexp": torch.logaddexp,
    # the engine's own products: a·b and a/b away from zero, where their strong zeros do not act
    "contribution": torch.mul, "quotient_contribution": torch.div,
}
for op, fn in binary.items():
    positive = op in ("div", "pow", "quotient_contribution")
    for sa, sb in (((3, 4), (3, 4)), ((3, 4), (3, 1)), ((4,), (3, 4))):
        a = uniform(0.2, 2.0, *sa) if positive else uniform(-1.5, 1.5, *sa)
        b = uniform(0.2, 2.0, *sb) if positive else uniform(-1.5, 1.5, *sb)
        case("binary %s %s %s" % (op, sa, sb), "elementwise", [a, b], [randn(3, 4), randn(3, 4)],
             lambda xs, cs, fn=fn: elementwise(fn(xs[0], xs[1]), cs), op=op)


def stack3(reduce):
    def fn(xs, cs):
        return elementwise(reduce(torch.stack(torch.broadcast_tensors(*xs)), 0), cs)
    return fn


for op, reduce in (("max", torch.amax), ("min", torch.amin), ("logsumexp", torch.logsumexp)):
    case("three arguments " + op, "elementwise",
         [uniform(-1.5, 1.5, 3, 4), uniform(-1.5, 1.5, 3, 1), uniform(-1.5, 1.5, 4)],
         [randn(3, 4), randn(3, 4)], stack3(reduce), op=op)

# ---------------------------------------------------------------- every structural rule


def structural(name, inputs, constants, fn):
    case(name, name, inputs, constants, fn)


structural("matmul", [randn(3, 4), randn(4, 2)], [randn(3, 2)],
           lambda xs, cs: (cs[0] * torch.tanh(xs[0] @ xs[1])).sum())
structural("transpose", [randn(3, 4)], [randn(4, 4)],
           lambda xs, cs: (cs[0] * torch.sin(xs[0].T @ xs[0])).sum())
structural("reshape", [randn(3, 4), randn(2, 3)], [randn(6, 3)],
           lambda xs, cs: (cs[0] * (xs[0].reshape(6, 2) @ xs[1]) ** 2).sum())
structural("broadcast", [randn(3, 1), randn(3, 4)], [randn(2, 3, 4)],
           lambda xs, cs: (cs[0] * torch.sin(torch.broadcast_to(xs[0], (2, 3, 4)) * xs[1])).sum())
structural("sum_to", [randn(3, 4)], [randn(1, 4)],
           lambda xs, cs: (cs[0] * torch.exp(xs[0].sum(0, keepdim=True))).sum())
structural("sum", [randn(3, 4)], [randn(3), randn(1, 4)],
           lambda xs, cs: (cs[0] * torch.sin(xs[0].sum(1))).sum() + (cs[1] * xs[0].sum(0, keepdim=True) ** 2).sum()
           + torch.cos(xs[0].sum()))
structural("amax", [randn(3, 5), randn(2, 3, 4)], [randn(3), randn(2, 1, 4)],
           lambda xs, cs: (cs[0] * torch.amax(xs[0] * xs[0], 1) ** 2).sum()
           + (cs[1] * torch.sin(torch.amax(xs[1], 1, keepdim=True))).sum())
structural("logsumexp", [randn(3, 5), randn(2, 3, 4)], [randn(3), randn(2, 1, 4)],
           lambda xs, cs: (cs[0] * torch.logsumexp(xs[0], 1) ** 2).sum()
           + (cs[1] * torch.sin(torch.logsumexp(xs[1], 1, keepdim=True))).sum())
structural("log_softmax", [randn(3, 5), randn(2, 3, 4)], [randn(3, 5), randn(2, 3, 4)],
           lambda xs, cs: (cs[0] * F.log_softmax(xs[0], 1) ** 2).sum()
           + (cs[1] * F.softmax(xs[1], 0)).sum())
structural("slice", [randn(4, 3), randn(2, 5, 3)], [randn(2, 3), randn(2, 2, 3)],
           lambda xs, cs: (cs[0] * torch.sin(xs[0][1:3])).sum() + (cs[1] * xs[1][:, 2:4] ** 2).sum())
GATHER_ROWS = [2, 0, 2, 2]
structural("gather", [randn(3, 4), randn(2, 4)], [randn(4, 4), randn(2, 3)],
           lambda xs, cs: (cs[0] * torch.index_select(xs[0], 0, torch.tensor(GATHER_ROWS)) ** 2).sum()
           + (cs[1] * torch.sin(torch.index_select(xs[1], 1, torch.tensor([3, 3, 0])))).sum())
SCATTER_AT = [2, 0, 2, 2]
structural("scatter_add", [randn(4, 3)], [randn(3, 3)],
           lambda xs, cs: (cs[0] * torch.zeros(3, 3).index_add(0, torch.tensor(SCATTER_AT), xs[0]) ** 2).sum())
structural("concat", [randn(2, 3), randn(1, 3)], [randn(5, 3)],
           lambda xs, cs: (cs[0] * torch.cat([xs[0], xs[1], xs[0]], 0) ** 2).sum())
WHERE_MASK = torch.tensor([[True, False, False], [True, True, False]])
structural("where", [randn(2, 3), randn(3)], [randn(2, 3), WHERE_MASK.to(torch.float64)],
           lambda xs, cs: (cs[0] * torch.where(WHERE_MASK, torch.sin(xs[0]), xs[1] ** 2)).sum())

# ---------------------------------------------------------------- programs that combine them

# A two-layer MLP with softmax cross-entropy: the Hessian of the loss times a direction in weights.
MLP_X = randn(5, 4)
MLP_LABELS = [2, 0, 1, 1, 2]
case("mlp cross entropy", "mlp", [randn(4, 6) * 0.5, randn(6) * 0.1, randn(6, 3) * 0.5, randn(3) * 0.1], [MLP_X],
     lambda xs, cs: F.cross_entropy(torch.tanh(cs[0] @ xs[0] + xs[1]) @ xs[2] + xs[3], torch.tensor(MLP_LABELS)),
     labels=MLP_LABELS)

# A critic D(x) = sum(sigmoid(softplus(x W1 + b1) W2)) with the WGAN-GP penalty on its input gradient.
case("critic gradient penalty", "critic", [randn(4, 3), randn(3, 5), randn(5), randn(5, 1)], [],
     lambda xs, cs: torch.sigmoid(F.softplus(xs[0] @ xs[1] + xs[2]) @ xs[3]).sum(), penalty="row_norm")

with open(os.path.join(HERE, "torch_double_backward.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
