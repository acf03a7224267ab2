#!/usr/bin/env python3
"""PyTorch peer for the modes-of-differentiation rows of bench/compare (issue "Every mode of
differentiation", section 5).

The notebook 7.1 loss (b3 + w3*cos(b2 + w2*exp(b1 + w1*sin(b0 + w0*x))) - y)^2 summed over N points,
float64, CPU, at the notebook's parameters b = (1, 2, -3, 0.4), w = (0.1, -0.4, 2, 3), on the points
of bench/torch_toy.py (np.random.seed(0), 2N uniform draws in [-2, 2] taken alternately as x and y),
which are those of the Java side bit for bit. Timings, each the median (and fastest) of --reps runs
after --warmup untimed ones:
  loss:           the summed loss under torch.no_grad();
  gradient:       the summed loss and loss.backward() (eight scalar parameter tensors);
  hvp:            Hessian times v by double backward: g = autograd.grad(loss, params,
                  create_graph=True), then autograd.grad(sum(g_k * v_k), params);
  hessian:        torch.autograd.functional.hessian of the summed loss as a function of one tensor
                  of 8 parameters (its default: one backward pass per row); hessian_vectorized the
                  same with vectorize=True (vmap over the rows), which may be faster or unsupported;
  jvp_forward_ad: the derivative along v by forward mode, torch.autograd.forward_ad dual tensors;
  jvp_functional: the same by torch.autograd.functional.jvp (the double-backward trick).
The direction v is bench/src/main/java/dev/backprop/bench/ToyData.DIRECTION. Prints one JSON line:
ns per point for each, and the results (so bench/compare can check both sides computed the same).
With --serve it times one call when told on stdin (a line naming one of the workloads above,
answered with a JSON line of its ns per point), so that a caller can alternate with it
(dev.backprop.bench.ModesRoundRobin); end of input ends it.
Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD
from torch.autograd.functional import hessian, jvp

NAMES = ["beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3"]
VALUES = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0]
# Keep in step with ToyData.DIRECTION (same order as NAMES).
DIRECTION = [0.5, -0.25, 0.125, 1.0, -1.0, 0.75, -0.5, 0.25]


def timed_seconds(fn, warmup, reps):
    """Median and fastest of reps timed runs, after warmup untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def total(p, x, y):
    """The summed loss; p indexable by 0..7 in NAMES order."""
    b0, b1, b2, b3, w0, w1, w2, w3 = (p[k] for k in range(8))
    return ((b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))) - y).pow(2).sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--serve", action="store_true", help="time one call per line on stdin (round-robin)")
    ap.add_argument("--hessian-reps", type=int, default=None,
                    help="reps for the two Hessians, which cost about eight HVPs each (default: --reps)")
    args = ap.parse_args()
    hreps = args.hessian_reps or args.reps

    torch.set_num_threads(args.threads)
    np.random.seed(0)
    u = np.random.uniform(-2.0, 2.0, 2 * args.n)
    x = torch.from_numpy(np.ascontiguousarray(u[0::2]))
    y = torch.from_numpy(np.ascontiguousarray(u[1::2]))
    params = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in VALUES]
    plain = [torch.tensor(v, dtype=torch.float64) for v in VALUES]
    tangents = [torch.tensor(v, dtype=torch.float64) for v in DIRECTION]
    flat = torch.tensor(VALUES, dtype=torch.float64)
    flat_v = torch.tensor(DIRECTION, dtype=torch.float64)

    def loss_alone():
        with torch.no_grad():
            return total(plain, x, y).item()

    def gradient():
        for p in params:
            p.grad = None
        loss = total(params, x, y)
        loss.backward()
        return [p.grad.item() for p in params]

    def hvp():
        loss = total(params, x, y)
        g = torch.autograd.grad(loss, params, create_graph=True)
        gv = sum(gk * vk for gk, vk in zip(g, DIRECTION))
        return [h.item() for h in torch.autograd.grad(gv, params)]

    def full_hessian(vectorize):
        return lambda: hessian(lambda p: total(p, x, y), flat, vectorize=vectorize)

    def jvp_forward_ad():
        with fwAD.dual_level():
            duals = [fwAD.make_dual(p, t) for p, t in zip(plain, tangents)]
            return fwAD.unpack_dual(total(duals, x, y)).tangent.item()

    def jvp_functional():
        return jvp(lambda p: total(p, x, y), flat, flat_v)[1].item()

    workloads = {"loss": loss_alone, "gradient": gradient, "hvp": hvp, "jvp_forward_ad": jvp_forward_ad,
                 "jvp_functional": jvp_functional, "hessian": full_hessian(False),
                 "hessian_vectorized": full_hessian(True)}
    if args.serve:
        for name in ("loss", "gradient", "hvp", "jvp_forward_ad", "hessian"):
            for _ in range(args.warmup):
                workloads[name]()
        print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            name = line.strip()
            if name not in workloads:
                print(json.dumps({"error": "unknown workload " + name}), flush=True)
                continue
            t0 = time.perf_counter()
            workloads[name]()
            print(json.dumps({"ns_per_point": (time.perf_counter() - t0) / args.n * 1e9}), flush=True)
        return

    out = {"workload": "modes", "n": args.n, "threads": torch.get_num_threads(), "torch": torch.__version__,
           "direction": DIRECTION}
    for name, fn in workloads.items():
        reps = hreps if name.startswith("hessian") else args.reps
        try:
            median, best = timed_seconds(fn, args.warmup, reps)
        except (RuntimeError, NotImplementedError) as e:  # vmap may not cover every operator in 1.13
            print(f"torch_modes.py: {name} failed: {str(e).splitlines()[0]}", file=sys.stderr)
            continue
        out[name + "_ns_per_point"] = median / args.n * 1e9
        out[name + "_best_ns_per_point"] = best / args.n * 1e9
    out["loss"] = loss_alone()
    out["gradient"] = gradient()
    out["hvp"] = hvp()
    out["hessian"] = full_hessian(False)().reshape(-1).tolist()
    out["jvp_forward_ad"] = jvp_forward_ad()
    out["jvp_functional"] = jvp_functional()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
