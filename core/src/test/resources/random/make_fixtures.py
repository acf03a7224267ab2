#!/usr/bin/python3
"""Writes the reference streams that RandomStateFixtureTest replays in Java.

Run with /usr/bin/python3 (numpy 1.24) from any directory; files are written next to this script:

  streams.txt      long mixed call streams, seeds 0, 1, 42, 2**32-1, 123456789, with reseeding,
                   and a run of 200,001 Gaussians checked through SHA-256 digests
  notebook_7_2.txt the exact np.random calls of the book's notebook 7.2 (module-level functions)
  log.txt          arguments x and the correctly rounded ln(x) (Python decimal, 50 digits)

Stream format, one call per line:  <call> <args...> -> <results...>
Doubles are Python repr (shortest round-trip form), results of arrays in row-major order.

Every value comes from numpy itself. numpy's Gaussians (legacy polar method) call the C
library's log, which glibc >= 2.28 does not round correctly for about 1 argument in 1,100; the Java
port uses a correctly rounded log instead. To say exactly what Java must produce at those few
draws, this script replays every Gaussian draw with a Python model of numpy's legacy_gauss, run on
the same uniform stream: with math.log (the same libm call numpy makes) the model must equal numpy
bit for bit (asserted below); with a correctly rounded log it gives the Java expectation. Where the
two differ, a line
  libm <element index> <numpy value> <value with correctly rounded log>
follows the call. All other values must match numpy exactly.
"""
import decimal
import hashlib
import math
import os
import random

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LN_CONTEXT = decimal.Context(prec=50)


def cr_log(x):
    """ln(x) rounded once to the nearest double (decimal.ln is correctly rounded to 50 digits)."""
    return float(decimal.Decimal(x).ln(LN_CONTEXT))


def sha256(values):
    return hashlib.sha256(np.asarray(values, dtype="<f8").tobytes()).hexdigest()


def fmt(v):
    return repr(float(v))


class Replay:
    """numpy's legacy generator next to a shadow one that replays its Gaussians in Python."""

    def __init__(self, rs, seed_fn=None):
        self.rs = rs                          # the numpy generator whose outputs are the reference
        self.seed_fn = seed_fn or rs.seed     # how it is seeded (np.random.seed for the global one)
        self.shadow = np.random.RandomState(0)
        self.cache = None         # (numpy-model value, correctly-rounded-model value)
        self.lines = []
        self.deviations = 0

    def seed(self, s):
        self.seed_fn(s)
        self.shadow.seed(s)
        self.cache = None
        self.lines.append("seed %d" % s)

    def _gauss(self):
        if self.cache is not None:
            g, self.cache = self.cache, None
            return g
        while True:
            # legacy_double is next_double: the same two words random_sample consumes.
            x1 = 2.0 * self.shadow.random_sample() - 1.0
            x2 = 2.0 * self.shadow.random_sample() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        f_libm = math.sqrt(-2.0 * math.log(r2) / r2)
        f_cr = math.sqrt(-2.0 * cr_log(r2) / r2)
        self.cache = (f_libm * x1, f_cr * x1)
        return (f_libm * x2, f_cr * x2)

    def _gaussians(self, call, args, numpy_values, shift):
        out = [float(v) for v in np.ravel(numpy_values)]
        notes = []
        for i, v in enumerate(out):
            libm, cr = self._gauss()
            if shift is not None:
                libm, cr = shift[0] + shift[1] * libm, shift[0] + shift[1] * cr
            assert libm == v and math.copysign(1, libm) == math.copysign(1, v), (call, i, libm, v)
            if cr != v:
                notes.append("libm %d %s %s" % (i, fmt(v), fmt(cr)))
        self._emit(call, args, [fmt(v) for v in out])
        self.lines.extend(notes)
        self.deviations += len(notes)

    def normal_n_sha256(self, n):
        """n Gaussians checked through digests of their float64 little-endian bytes: one of
        numpy's values and one of the correctly-rounded-log model's, plus the libm lines."""
        numpy_values = self.rs.normal(size=n)
        libm = np.empty(n)
        cr = np.empty(n)
        for i in range(n):
            libm[i], cr[i] = self._gauss()
        libm, cr = 0.0 + 1.0 * libm, 0.0 + 1.0 * cr
        assert np.array_equal(libm.view(np.uint64), numpy_values.view(np.uint64))
        self._emit("normal_n_sha256", [n], [sha256(numpy_values), sha256(cr)])
        for i in np.flatnonzero(cr != numpy_values):
            self.lines.append("libm %d %s %s" % (i, fmt(numpy_values[i]), fmt(cr[i])))
            self.deviations += 1

    def _emit(self, call, args, results):
        self.lines.append(" ".join([call] + [str(a) for a in args] + ["->"] + results))

    def _same(self, fn_name, *args, **kw):
        """A non-Gaussian call: made on both generators, which must agree."""
        a = getattr(self.rs, fn_name)(*args, **kw)
        b = getattr(self.shadow, fn_name)(*args, **kw)
        assert np.array_equal(a, b)
        return a

    # --- the calls ---
    def random_sample(self):
        self._emit("random_sample", [], [fmt(self._same("random_sample"))])

    def random_sample_n(self, n):
        self._emit("random_sample_n", [n], [fmt(v) for v in self._same("random_sample", size=n)])

    def uniform(self, low, high):
        self._emit("uniform", [fmt(low), fmt(high)], [fmt(self._same("uniform", low, high))])

    def randint(self, low, high):
        v = self._same("randint", low, high)
        assert isinstance(v, int) or v.dtype == np.int64
        self._emit("randint", [low, high], [str(int(v))])

    def permutation(self, n):
        p = self._same("permutation", n)
        assert p.dtype == np.int64
        self._emit("permutation", [n], [str(int(v)) for v in p])

    def shuffle(self, values):
        a = np.array(values, dtype=np.int32)
        b = a.copy()
        self.rs.shuffle(a)
        self.shadow.shuffle(b)
        assert np.array_equal(a, b)
        self.lines.append(" ".join(["shuffle"] + [str(v) for v in values] + ["->"] + [str(int(v)) for v in a]))

    def standard_normal(self):
        self._gaussians("standard_normal", [], self.rs.standard_normal(), None)

    def normal(self, loc, scale):
        self._gaussians("normal", [fmt(loc), fmt(scale)], self.rs.normal(loc, scale), (loc, scale))

    def normal_n(self, n):
        self._gaussians("normal_n", [n], self.rs.normal(size=n), (0.0, 1.0))

    def normal_rc(self, rows, cols):
        self._gaussians("normal_rc", [rows, cols], self.rs.normal(size=(rows, cols)), (0.0, 1.0))

    def check_states_agree(self):
        a, b = self.rs.get_state(), self.shadow.get_state()
        assert np.array_equal(a[1], b[1]) and a[2] == b[2]


RANDINT_RANGES = [
    (0, 10), (-10, 10), (5, 6), (0, 1000), (0, 2**31), (0, 2**32 - 1), (0, 2**32), (-7, 2**32 - 7),
    (0, 2**32 + 1), (2**40, 2**40 + 3), (-2**63, 2**63 - 1), (0, 2**63 - 1), (-2**63, -2**63 + 1),
    (-2**63, 0), (-2**62, 2**62), (123, 2**33 + 123), (-1000000, 1000000),
]
PERMUTATION_SIZES = [0, 1, 2, 3, 5, 10, 17, 100, 255, 256, 257, 1000]


def scripted(r):
    """The brief's hand-made opening: odd Gaussian counts interleaved with other draws."""
    r.normal_n(3)
    r.random_sample()
    r.normal_rc(2, 3)
    r.standard_normal()
    r.randint(0, 10)
    r.normal(2.5, 0.5)
    r.permutation(10)
    r.normal_n(1)
    r.uniform(-3.0, 7.5)
    r.normal_rc(3, 1)
    r.random_sample_n(5)
    r.normal_rc(1, 5)


def mixed(r, plan, calls):
    """A long stream whose shape is drawn from Python's random module (plan), not from numpy."""
    for _ in range(calls):
        kind = plan.randrange(12)
        if kind == 0:
            r.random_sample()
        elif kind == 1:
            r.random_sample_n(plan.randrange(0, 8))
        elif kind == 2:
            r.standard_normal()
        elif kind == 3:
            r.normal(plan.choice([0.0, -1.5, 3.0, 1e6]), plan.choice([1.0, 0.25, 0.0, 7.0, 1e-3]))
        elif kind in (4, 5):
            r.normal_n(plan.randrange(0, 12))
        elif kind == 6:
            r.normal_rc(plan.randrange(0, 7), plan.randrange(0, 7))
        elif kind == 7:
            lo = plan.choice([0.0, -2.0, 10.0, -1e300])
            r.uniform(lo, plan.choice([1.0, 5.5, -4.0, 1e300]))
        elif kind == 8:
            r.permutation(plan.choice(PERMUTATION_SIZES))
        elif kind == 9:
            n = plan.randrange(0, 20)
            r.shuffle([plan.randrange(-1000, 1000) for _ in range(n)])
        else:
            r.randint(*plan.choice(RANDINT_RANGES))


def write(name, header, lines):
    with open(os.path.join(HERE, name), "w") as f:
        f.write("# Generated by make_fixtures.py with numpy %s. Do not edit.\n" % np.__version__)
        for h in header:
            f.write("# %s\n" % h)
        f.write("\n".join(lines) + "\n")


def streams():
    lines = []
    deviations = 0
    for seed in (0, 1, 42, 2**32 - 1, 123456789):
        r = Replay(np.random.RandomState())
        r.seed(seed)
        scripted(r)
        plan = random.Random(seed)
        mixed(r, plan, 250)
        # An odd number of Gaussians leaves a cached one; reseeding must discard it.
        r.normal_n(3)
        r.seed(seed)
        r.normal_n(3)
        r.seed((seed * 7 + 3) % 2**32)
        mixed(r, plan, 250)
        r.check_states_agree()
        lines.extend(r.lines)
        deviations += r.deviations
    # A long Gaussian run, compared through digests, so rare libm misroundings surely occur.
    r = Replay(np.random.RandomState())
    r.seed(20240601)
    r.normal_n(1)
    r.normal_n_sha256(200001)
    r.random_sample()
    r.standard_normal()
    lines.extend(r.lines)
    deviations += r.deviations
    write("streams.txt", ["Mixed streams; 'seed s' lines start a new generator state.",
                          "normal_n_sha256 n -> sha256(numpy's values) sha256(values with correctly rounded log)"], lines)
    return deviations


def notebook_7_2():
    r = Replay(np.random.mtrand._rand, np.random.seed)
    r.seed(0)
    r.normal_rc(6, 1)   # all_weights[0] = np.random.normal(size=(D, D_i))
    r.normal_rc(1, 6)   # all_weights[-1] = np.random.normal(size=(D_o, D))
    r.normal_rc(6, 1)   # all_biases[0] = np.random.normal(size=(D, 1))
    r.normal_rc(1, 1)   # all_biases[-1] = np.random.normal(size=(D_o, 1))
    for _ in range(1, 5):
        r.normal_rc(6, 6)  # all_weights[layer] = np.random.normal(size=(D, D))
        r.normal_rc(6, 1)  # all_biases[layer] = np.random.normal(size=(D, 1))
    r.check_states_agree()
    write("notebook_7_2.txt", ["Notebook 7.2 (K=5, D=6, D_i=D_o=1): np.random.seed(0) then its normal() calls."], r.lines)
    return r.deviations


def logs():
    rs = np.random.RandomState(2024)
    xs = []
    # Arguments like the polar method's r2 = x1^2 + x2^2 in (0, 1).
    u = 2.0 * rs.random_sample((2000, 2)) - 1.0
    xs += [float(v) for v in (u * u).sum(axis=1) if 0.0 < v < 1.0]
    xs += [float(v) for v in np.exp(rs.uniform(-744.0, 709.0, 1000))]
    xs += [float(v) for v in 1.0 + rs.uniform(-0.02, 0.02, 500)]
    xs += [float(v) for v in 1.0 + rs.uniform(-1e-12, 1e-12, 100)]
    xs += [5e-324, 1e-310, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
           math.sqrt(2.0), math.nextafter(math.sqrt(2.0), 0.0), math.sqrt(0.5), math.nextafter(math.sqrt(0.5), 0.0),
           0.5, 1.0, 2.0, 3.0, 10.0, 0.1, math.nextafter(1.0, 0.0), math.nextafter(1.0, 2.0), 1e-104]
    lines = []
    misrounded = 0
    for x in xs:
        cr = cr_log(x)
        libm = math.log(x)
        misrounded += libm != cr
        lines.append("%s %s %s" % (fmt(x), fmt(cr), fmt(libm)))
    write("log.txt", ["x, correctly rounded ln(x), this machine's libm log(x) (informative only)",
                      "libm differs from correct rounding on %d of %d" % (misrounded, len(xs))], lines)
    return misrounded, len(xs)


if __name__ == "__main__":
    print("streams.txt: %d Gaussian draws where libm log misrounds" % streams())
    print("notebook_7_2.txt: %d such draws" % notebook_7_2())
    print("log.txt: libm misrounds %d of %d" % logs())
