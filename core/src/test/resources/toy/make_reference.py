#!/usr/bin/python3
"""Reference values for notebook 7.1 (Understanding Deep Learning), computed with numpy from the
notebook's own equations: the forward pass, the backward pass, the parameter derivatives, the
notebook's two hand-derived closed forms and its forward finite differences (delta = 1e-5).

Run:  /usr/bin/python3 make_reference.py > notebook71.json
"""
import json

import numpy as np


def fn(x, beta0, beta1, beta2, beta3, omega0, omega1, omega2, omega3):
    return beta3 + omega3 * np.cos(beta2 + omega2 * np.exp(beta1 + omega1 * np.sin(beta0 + omega0 * x)))


def loss(x, y, beta0, beta1, beta2, beta3, omega0, omega1, omega2, omega3):
    diff = fn(x, beta0, beta1, beta2, beta3, omega0, omega1, omega2, omega3) - y
    return diff * diff


p = dict(beta0=np.float64(1.0), beta1=np.float64(2.0), beta2=np.float64(-3.0), beta3=np.float64(0.4),
         omega0=np.float64(0.1), omega1=np.float64(-0.4), omega2=np.float64(2.0), omega3=np.float64(3.0))
x = np.float64(2.3)
y = np.float64(2.0)
beta0, beta1, beta2, beta3 = p["beta0"], p["beta1"], p["beta2"], p["beta3"]
omega0, omega1, omega2, omega3 = p["omega0"], p["omega1"], p["omega2"], p["omega3"]

# Step 1: forward pass, exactly as in the notebook.
f0 = beta0 + omega0 * x
h1 = np.sin(f0)
f1 = beta1 + omega1 * h1
h2 = np.exp(f1)
f2 = beta2 + omega2 * h2
h3 = np.cos(f2)
f3 = beta3 + omega3 * h3
l_i = (f3 - y) ** 2

# Step 2: backward pass.
dldf3 = 2 * (f3 - y)
dldh3 = omega3 * dldf3
dldf2 = -np.sin(f2) * dldh3
dldh2 = omega2 * dldf2
dldf1 = np.exp(f1) * dldh2
dldh1 = omega1 * dldf1
dldf0 = np.cos(f0) * dldh1

# Step 3: parameter derivatives.
params = {
    "beta3": dldf3, "omega3": h3 * dldf3,
    "beta2": dldf2, "omega2": h2 * dldf2,
    "beta1": dldf1, "omega1": h1 * dldf1,
    "beta0": dldf0, "omega0": x * dldf0,
}

# The notebook's hand-derived closed forms.
dldbeta3_func = 2 * (beta3 + omega3 * np.cos(beta2 + omega2 * np.exp(beta1 + omega1 * np.sin(beta0 + omega0 * x))) - y)
dldomega0_func = -2 * (beta3 + omega3 * np.cos(beta2 + omega2 * np.exp(beta1 + omega1 * np.sin(beta0 + omega0 * x))) - y) * \
    omega1 * omega2 * omega3 * x * np.cos(beta0 + omega0 * x) * np.exp(beta1 + omega1 * np.sin(beta0 + omega0 * x)) * \
    np.sin(beta2 + omega2 * np.exp(beta1 + omega1 * np.sin(beta0 + omega0 * x)))

# The notebook's forward finite differences, for every parameter.
delta = 0.00001
base = loss(x, y, **p)
fd = {}
for name in params:
    q = dict(p)
    q[name] = q[name] + delta
    fd[name] = (loss(x, y, **q) - base) / delta

out = {
    "point": {"x": float(x), "y": float(y), **{k: float(v) for k, v in p.items()}},
    "loss": float(l_i),
    "loss_func": float(loss(x, y, **p)),
    "forward": {k: float(v) for k, v in
                dict(f0=f0, h1=h1, f1=f1, h2=h2, f2=f2, h3=h3, f3=f3, l=l_i).items()},
    "backward": {k: float(v) for k, v in
                 dict(f3=dldf3, h3=dldh3, f2=dldf2, h2=dldh2, f1=dldf1, h1=dldh1, f0=dldf0).items()},
    "parameters": {k: float(v) for k, v in params.items()},
    "closed_form": {"beta3": float(dldbeta3_func), "omega0": float(dldomega0_func)},
    "finite_difference": {k: float(v) for k, v in fd.items()},
}
print(json.dumps(out, indent=2))
