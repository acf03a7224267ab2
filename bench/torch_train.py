#!/usr/bin/env python3
"""PyTorch peer for `backprop train`'s training path (NetworkFit driving nn.Trainer with Adam).

The same run as dev.backprop.bench.TrainStepBenchmark, number for number:
  network   784-1024-1024-10 ReLU, float64, one column per example (W is (out, in), x is (in, N)),
            He-initialised as dev.backprop.nn.Init.he: numpy RandomState(0), every weight drawn from
            N(0, 2/width) in the notebook's order (W0, then the last layer, then the middle ones),
            biases 0
  data      2048 examples: inputs (784, 2048) then targets (10, 2048), standard normals from
            numpy RandomState(1)
  batches   256 columns a step, gathered from the data in the order of RandomState(0).permutation
            (a new permutation each epoch, one stream), as dev.backprop.fit.Loop does
  loss      ((f - y)**2).sum() over the batch (the book's least squares, summed, not averaged)
  optimiser torch.optim.Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-8): `backprop train`'s defaults
A step is: gather the batch, forward, loss, zero_grad, backward, optimizer.step(), loss.item().

Timing, --reps times: a run's --steps steps after --warmup untimed ones (the steady state: its
mean time per step), then a whole run of --steps steps as `train` makes it (set-up, the loss over
all the data before and after, the steps) divided by --steps. The medians are reported, and the
fastest steady-state figure. With --serve, one run takes steps when told on stdin (a line "K":
K steps, answered with a JSON line of their mean time), so that a caller can alternate with it.
Prints one JSON line. Run with /usr/bin/python3 (Debian's python3-torch), OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch

SIZES = [784, 1024, 1024, 10]
N = 2048
BATCH = 256


def he(seed, sizes):
    rs = np.random.RandomState(seed)
    width = sizes[1]
    scale = np.sqrt(2.0 / width)  # Init.he: σ² = 2/D for every layer, as notebook 7.3
    k = len(sizes) - 1
    ws = [None] * k
    ws[0] = rs.normal(size=(sizes[1], sizes[0])) * scale
    ws[k - 1] = rs.normal(size=(sizes[k], sizes[k - 1])) * scale
    for i in range(1, k - 1):
        ws[i] = rs.normal(size=(sizes[i + 1], sizes[i])) * scale
    return ws


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=16, help="steps per timed run")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--foreach", action="store_true", help="Adam's multi-tensor implementation")
    ap.add_argument("--check", type=int, default=4, help="report the losses of this many first steps")
    ap.add_argument("--serve", action="store_true", help="take steps when told on stdin (round-robin)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    ws0 = he(0, SIZES)
    data = np.random.RandomState(1)
    x_all = torch.from_numpy(data.normal(size=(SIZES[0], N)))
    y_all = torch.from_numpy(data.normal(size=(SIZES[-1], N)))

    def fresh():
        ws = [torch.tensor(w, dtype=torch.float64).requires_grad_() for w in ws0]
        bs = [torch.zeros(o, 1, dtype=torch.float64, requires_grad=True) for o in SIZES[1:]]
        opt = torch.optim.Adam(ws + bs, lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
                               foreach=True if args.foreach else None)
        return ws, bs, opt

    def forward(ws, bs, h):
        for k, (w, b) in enumerate(zip(ws, bs)):
            f = torch.addmm(b, w, h)
            h = torch.relu(f) if k < len(ws) - 1 else f
        return h

    class Batches:
        """Loop.run's batches: RandomState(seed).permutation(n) per epoch, one stream."""

        def __init__(self):
            self.rs = np.random.RandomState(0)
            self.order = None
            self.pos = N

        def next(self):
            if self.pos >= N:
                self.order = torch.from_numpy(self.rs.permutation(N))
                self.pos = 0
            idx = self.order[self.pos:self.pos + BATCH]
            self.pos += BATCH
            return idx

    def start():
        """A new run as `train` makes it: returns its step function and the loss over all the data."""
        ws, bs, opt = fresh()
        batches = Batches()

        def step():
            idx = batches.next()
            x = x_all.index_select(1, idx)
            y = y_all.index_select(1, idx)
            loss = ((forward(ws, bs, x) - y) ** 2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return loss.item()

        def whole_loss():
            with torch.no_grad():
                return ((forward(ws, bs, x_all) - y_all) ** 2).sum().item()

        return step, whole_loss

    def run(steps, whole=False, losses=None, timed=None):
        """A run of `steps` steps; with `timed`, also times `timed` more steps after them."""
        step, whole_loss = start()
        if whole:
            whole_loss()
        for _ in range(steps):
            value = step()
            if losses is not None:
                losses.append(value)
        if whole:
            whole_loss()
        if timed:
            t0 = time.perf_counter()
            for _ in range(timed):
                step()
            return (time.perf_counter() - t0) / timed
        return None

    if args.serve:
        # Round-robin with a caller: after the warm-up, each line "K" on stdin takes K more steps of
        # one run and answers with their mean time; end of input ends the run.
        step, _ = start()
        for _ in range(args.warmup):
            step()
        print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            k = int(line)
            t0 = time.perf_counter()
            for _ in range(k):
                step()
            print(json.dumps({"ms_per_step": (time.perf_counter() - t0) / k * 1e3}), flush=True)
        return

    losses = []
    run(args.check, losses=losses)
    per_step = []
    whole = []
    for _ in range(args.reps):
        # Steady state: steps after the warm-up of a run (Adam's state exists, buffers are warm).
        per_step.append(run(args.warmup, timed=args.steps))
        # A whole run as `train` makes it: set-up, loss over all the data, the steps, that loss again.
        t0 = time.perf_counter()
        run(args.steps, whole=True)
        whole.append((time.perf_counter() - t0) / args.steps)
    print(json.dumps({
        "workload": "train_step", "sizes": SIZES, "n": N, "batch": BATCH, "optimizer": "adam", "lr": args.lr,
        "loss": "sum_squared", "foreach": args.foreach, "steps": args.steps,
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "ms_per_step": statistics.median(per_step) * 1e3, "ms_min": min(per_step) * 1e3,
        "ms_per_step_whole_run": statistics.median(whole) * 1e3,
        "losses": losses[:args.check],
    }))


if __name__ == "__main__":
    main()
