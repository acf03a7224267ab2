#!/usr/bin/env python3
"""Generates the example data sets used in the README (run from the repository root).

sine.csv:  x uniform in [-3, 3], y = 1.5*sin(2x) + N(0, 0.1^2)      -> backprop fit "(a*sin(b*x) - y)^2"
wave.csv:  x uniform in [-2, 2], y = sin(2x) + 0.3x + N(0, 0.05^2)   -> backprop train --inputs x --targets y
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
