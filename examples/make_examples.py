#!/usr/bin/env python3
"""Generates the example data sets used in the README (run from the repository root).

sine.csv:  x uniform in [-3, 3], y = 1.5*sin(2x) + N(0, 0.1^2)      -> backprop fit "(a*sin(b*x) - y)^2"
wave.csv:  x uniform in [-2, 2], y = sin(2x) + 0.3x + N(0, 0.05^2)   -> backprop train --inputs x --targets y
spirals.csv: two interleaved spirals, classes 0 and 1 -> backprop train --loss xent --inputs x1,x2 --targets label
"""
import numpy as np

rs = np.random.RandomState(0)
x = rs.uniform(-3, 3, 100)
y = 1.5 * np.sin(2 * x) + rs.normal(0, 0.1, 100)
np.savetxt("examples/sine.csv", np.column_stack([x, y]), delimiter=",", header="x,y", comments="", fmt="%.6f")

rs = np.random.RandomState(1)
x = rs.uniform(-2, 2, 200)
y = np.sin(2 * x) + 0.3 * x + rs.normal(0, 0.05, 200)
np.savetxt("examples/wave.csv", np.column_stack([x, y]), delimiter=",", header="x,y", comments="", fmt="%.6f")

# spirals.csv: two interleaved spirals, 200 points each, x = r·(cos θ, sin θ) with θ up to 1.5 turns
# and the second arm turned by π, plus N(0, 0.02²) noise; label 0 or 1, and the arm's name in words
# (a text column, which train ignores unless it is named)
#                                            -> backprop train --loss xent --inputs x1,x2 --targets label
rs = np.random.RandomState(2)
n = 200
rows = []
for label, name in ((0, "first"), (1, "second")):
    t = np.sqrt(rs.uniform(0, 1, n))                  # denser towards the rim, as the arm is longer there
    theta = t * 3 * np.pi + label * np.pi
    x1 = t * np.cos(theta) + rs.normal(0, 0.02, n)
    x2 = t * np.sin(theta) + rs.normal(0, 0.02, n)
    rows += [(a, b, label, name) for a, b in zip(x1, x2)]
order = rs.permutation(len(rows))
with open("examples/spirals.csv", "w") as f:
    f.write("x1,x2,label,arm\n")
    for i in order:
        a, b, label, name = rows[i]
        f.write("%.6f,%.6f,%d,%s\n" % (a, b, label, name))
