#!/usr/bin/env python3
"""PyTorch peer for the toy-model batch benchmark (issue 4, section 3).

The notebook 7.1 loss (b3 + w3*cos(b2 + w2*exp(b1 + w1*sin(b0 + w0*x))) - y)^2 summed over N points,
float64, CPU, with the notebook's parameters b = (1, 2, -3, 0.4), w = (0.1, -0.4, 2, 3) as eight
scalar tensors. Two timings, each the median of --reps runs after --warmup untimed ones (and, for
loss + gradient, also the fastest run: PyTorch's time per run varies by 2x here):
  loss alone:      the summed loss under torch.no_grad() (no graph is recorded);
  loss + gradient: the summed loss, then loss.backward() for the eight parameters' gradients.
The points are those of the Java side bit for bit: np.random.seed(0), then 2N uniform draws in
[-2, 2] taken alternately as x and y (dev.backprop.book.ToyTiming.data draws the same way).
Prints one JSON line with ns per point, the loss and the gradient (so bench/compare can check both
sides computed the same thing). Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import json
import statistics
import time

import numpy as np
import torch

NAMES = ["beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3"]
VALUES = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0]


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--profile", action="store_true",
                    help="also print torch.profiler's per-operator table of one loss+backward to stderr")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    np.random.seed(0)
    u = np.random.uniform(-2.0, 2.0, 2 * args.n)
    x = torch.from_numpy(np.ascontiguousarray(u[0::2]))
    y = torch.from_numpy(np.ascontiguousarray(u[1::2]))
    b0, b1, b2, b3, w0, w1, w2, w3 = params = [
        torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in VALUES]

    def total():
        return ((b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))) - y).pow(2).sum()

    def loss_alone():
        with torch.no_grad():
            return total().item()

    def loss_and_gradient():
        for p in params:
            p.grad = None
        loss = total()
        loss.backward()
        return loss.item()

    t_loss, _ = timed_seconds(loss_alone, args.warmup, args.reps)
    t_grad, t_grad_best = timed_seconds(loss_and_gradient, args.warmup, args.reps)
    loss = loss_and_gradient()
    if args.profile:
        import sys
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            loss_and_gradient()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15), file=sys.stderr)
    print(json.dumps({
        "workload": "toy", "n": args.n, "threads": torch.get_num_threads(), "torch": torch.__version__,
        "loss_ns_per_point": t_loss / args.n * 1e9,
        "gradient_ns_per_point": t_grad / args.n * 1e9,
        "gradient_best_ns_per_point": t_grad_best / args.n * 1e9,
        "loss": loss,
        "gradient": {name: p.grad.item() for name, p in zip(NAMES, params)},
    }))


if __name__ == "__main__":
    main()
