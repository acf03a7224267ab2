#!/usr/bin/env python3
"""PyTorch peer for the MLP training step (issue 4, section 3).

One SGD step of a 784-1024-1024-10 ReLU network, float64, batch 256, CPU, 2 threads: forward,
loss, loss.backward(), p -= lr * p.grad. Same loss definitions as dev.backprop.nn.Trainer:
  squared:  mean over examples of the squared error summed over outputs
  xent:     mean over examples of softmax cross-entropy (class-index targets)
Prints one JSON line: {"ms_per_step": ..., "gflops": ..., ...}. The median of --reps timed steps
after --warmup untimed ones is reported. Run with /usr/bin/python3 (Debian's python3-torch).
"""
import argparse
import json
import statistics
import time

import torch


def flops(sizes, batch):
    # Forward W·H per layer, backward dW per layer and dH for every layer but the first.
    fwd = sum(2 * a * b * batch for a, b in zip(sizes[:-1], sizes[1:]))
    dh = sum(2 * a * b * batch for a, b in zip(sizes[1:-1], sizes[2:]))
    return 2 * fwd + dh


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--loss", choices=["squared", "xent"], default="xent")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    sizes = [784, 1024, 1024, 10]
    # One column per example, as in the book and in the Java code: W is (out, in), x is (in, N).
    ws = [(torch.randn(o, i, dtype=torch.float64) * (2.0 / i) ** 0.5).requires_grad_()
          for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [torch.zeros(o, 1, dtype=torch.float64, requires_grad=True) for o in sizes[1:]]
    x = torch.randn(sizes[0], args.batch, dtype=torch.float64)
    labels = torch.randint(0, sizes[-1], (args.batch,))
    y = torch.nn.functional.one_hot(labels, sizes[-1]).T.to(torch.float64)

    def step():
        h = x
        for k, (w, b) in enumerate(zip(ws, bs)):
            f = torch.addmm(b, w, h)
            h = torch.relu(f) if k < len(ws) - 1 else f
        if args.loss == "squared":
            loss = ((h - y) ** 2).sum(0).mean()
        else:
            loss = torch.nn.functional.cross_entropy(h.T, labels)
        loss.backward()
        with torch.no_grad():
            for p in ws + bs:
                p -= args.lr * p.grad
                p.grad = None
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1e3
    print(json.dumps({
        "workload": "mlp_step", "sizes": sizes, "batch": args.batch, "loss": args.loss,
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "ms_per_step": ms, "ms_min": min(times) * 1e3, "gflops": flops(sizes, args.batch) / ms / 1e6,
    }))


if __name__ == "__main__":
    main()
