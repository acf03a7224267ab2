"""Reference fixtures for the nn and tensor tests, computed with numpy and PyTorch.

Run from this directory with /usr/bin/python3 (numpy 1.24, torch 1.13):

    /usr/bin/python3 make_reference.py

It rewrites deep_*.json and init_*.json here (notebooks 7.2 and 7.3 of Understanding Deep
Learning, re-typed below with the notebooks' own seeding, draw order, forward pass, backward
pass and finite differences) and ../tensor/torch_gradients.json (gradients of a few tensor
expressions from PyTorch autograd). Floats are written with repr, so they round-trip exactly.
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def as_list(a):
    return np.asarray(a, dtype=np.float64).tolist()


# ---------------------------------------------------------------- shared by 7.2 and 7.3

def relu(preactivation):
    return preactivation.clip(0.0)


def compute_network_output(net_input, all_weights, all_biases):
    K = len(all_weights) - 1
    all_f = [None] * (K + 1)
    all_h = [None] * (K + 1)
    all_h[0] = net_input
    for layer in range(K):
        all_f[layer] = all_biases[layer] + np.matmul(all_weights[layer], all_h[layer])
        all_h[layer + 1] = relu(all_f[layer])
    all_f[K] = all_biases[K] + np.matmul(all_weights[K], all_h[K])
    return all_f[K], all_f, all_h


def least_squares_loss(net_output, y):
    return np.sum((net_output - y) * (net_output - y))


def d_loss_d_output(net_output, y):
    return 2 * (net_output - y)


def indicator_positive(x):          # notebook 7.2: x > 0
    x_in = np.array(x)
    x_in[x_in > 0] = 1
    x_in[x_in <= 0] = 0
    return x_in


def indicator_non_negative(x):      # notebook 7.3: x >= 0
    x_in = np.array(x)
    x_in[x_in >= 0] = 1
    x_in[x_in < 0] = 0
    return x_in


def backward_pass(all_weights, all_f, all_h, y, indicator):
    K = len(all_weights) - 1
    all_dl_dweights = [None] * (K + 1)
    all_dl_dbiases = [None] * (K + 1)
    all_dl_df = [None] * (K + 1)
    all_dl_dh = [None] * (K + 1)
    all_dl_df[K] = np.array(d_loss_d_output(all_f[K], y))
    for layer in range(K, -1, -1):
        all_dl_dbiases[layer] = np.array(all_dl_df[layer])
        all_dl_dweights[layer] = np.matmul(all_dl_df[layer], all_h[layer].transpose())
        all_dl_dh[layer] = np.matmul(all_weights[layer].transpose(), all_dl_df[layer])
        if layer > 0:
            all_dl_df[layer - 1] = indicator(all_f[layer - 1]) * all_dl_dh[layer]
    return all_dl_dweights, all_dl_dbiases, all_dl_dh, all_dl_df


# ---------------------------------------------------------------- notebook 7.2

def deep(seed, K, D, x, y_value):
    np.random.seed(seed)
    D_i, D_o = 1, 1
    all_weights = [None] * (K + 1)
    all_biases = [None] * (K + 1)
    all_weights[0] = np.random.normal(size=(D, D_i))
    all_weights[-1] = np.random.normal(size=(D_o, D))
    all_biases[0] = np.random.normal(size=(D, 1))
    all_biases[-1] = np.random.normal(size=(D_o, 1))
    for layer in range(1, K):
        all_weights[layer] = np.random.normal(size=(D, D))
        all_biases[layer] = np.random.normal(size=(D, 1))

    net_input = np.ones((D_i, 1)) * x
    net_output, all_f, all_h = compute_network_output(net_input, all_weights, all_biases)
    y = np.ones((D_o, 1)) * y_value
    loss = least_squares_loss(net_output, y)
    dw, db, dh, df = backward_pass(all_weights, all_f, all_h, y, indicator_positive)

    delta_fd = 0.000001
    bias_fd, bias_ok, weight_fd, weight_ok = [], [], [], []
    for layer in range(K + 1):
        dl_dbias = np.zeros_like(db[layer])
        for row in range(all_biases[layer].shape[0]):
            all_biases_copy = [np.array(b) for b in all_biases]
            all_biases_copy[layer][row] += delta_fd
            out1, *_ = compute_network_output(net_input, all_weights, all_biases_copy)
            out2, *_ = compute_network_output(net_input, all_weights, all_biases)
            dl_dbias[row] = (least_squares_loss(out1, y) - least_squares_loss(out2, y)) / delta_fd
        bias_fd.append(as_list(dl_dbias))
        bias_ok.append(bool(np.allclose(dl_dbias, db[layer], rtol=1e-05, atol=1e-08, equal_nan=False)))
    for layer in range(K + 1):
        dl_dweight = np.zeros_like(dw[layer])
        for row in range(all_weights[layer].shape[0]):
            for col in range(all_weights[layer].shape[1]):
                all_weights_copy = [np.array(w) for w in all_weights]
                all_weights_copy[layer][row][col] += delta_fd
                out1, *_ = compute_network_output(net_input, all_weights_copy, all_biases)
                out2, *_ = compute_network_output(net_input, all_weights, all_biases)
                dl_dweight[row][col] = (least_squares_loss(out1, y) - least_squares_loss(out2, y)) / delta_fd
        weight_fd.append(as_list(dl_dweight))
        weight_ok.append(bool(np.allclose(dl_dweight, dw[layer], rtol=1e-05, atol=1e-08, equal_nan=False)))

    return {
        "seed": seed, "layers": K, "width": D, "x": x, "y": y_value,
        "weights": [as_list(w) for w in all_weights],
        "biases": [as_list(b) for b in all_biases],
        "output": float(net_output[0, 0]),
        "loss": float(loss),
        "f": [as_list(f) for f in all_f],
        "h": [as_list(h) for h in all_h],
        "dl_df": [as_list(d) for d in df],
        "dl_dh": [as_list(d) for d in dh],
        "dl_dbias": [as_list(d) for d in db],
        "dl_dweight": [as_list(d) for d in dw],
        "dl_dinput": as_list(dh[0]),
        "bias_fd": bias_fd, "bias_ok": bias_ok,
        "weight_fd": weight_fd, "weight_ok": weight_ok,
    }


# ---------------------------------------------------------------- notebook 7.3

def init_params(K, D, sigma_sq_omega):
    np.random.seed(0)
    D_i, D_o = 1, 1
    all_weights = [None] * (K + 1)
    all_biases = [None] * (K + 1)
    all_weights[0] = np.random.normal(size=(D, D_i)) * np.sqrt(sigma_sq_omega)
    all_weights[-1] = np.random.normal(size=(D_o, D)) * np.sqrt(sigma_sq_omega)
    all_biases[0] = np.zeros((D, 1))
    all_biases[-1] = np.zeros((D_o, 1))
    for layer in range(1, K):
        all_weights[layer] = np.random.normal(size=(D, D)) * np.sqrt(sigma_sq_omega)
        all_biases[layer] = np.zeros((D, 1))
    return all_weights, all_biases


def init(K, D, sigma_sq_omega, n_data_forward, n_data_backward=100):
    all_weights, all_biases = init_params(K, D, sigma_sq_omega)
    data_in = np.random.normal(size=(1, n_data_forward))
    net_output, all_f, all_h = compute_network_output(data_in, all_weights, all_biases)
    forward_std = [float(np.std(all_h[layer])) for layer in range(1, K + 1)]

    all_weights, all_biases = init_params(K, D, sigma_sq_omega)
    aggregate_dl_df = [None] * (K + 1)
    for layer in range(1, K):
        aggregate_dl_df[layer] = np.zeros((D, n_data_backward))
    for c_data in range(n_data_backward):
        data_in = np.random.normal(size=(1, 1))
        y = np.zeros((1, 1))
        net_output, all_f, all_h = compute_network_output(data_in, all_weights, all_biases)
        _, _, _, all_dl_df = backward_pass(all_weights, all_f, all_h, y, indicator_non_negative)
        for layer in range(1, K):
            aggregate_dl_df[layer][:, c_data] = np.squeeze(all_dl_df[layer])
    backward_std = {str(layer): float(np.std(aggregate_dl_df[layer].ravel())) for layer in range(1, K)}
    return {
        "layers": K, "width": D, "sigma2": sigma_sq_omega, "n": n_data_forward,
        "examples": n_data_backward,
        "first_weights": as_list(all_weights[0]),
        "forward_std": forward_std,
        "backward_std": backward_std,
    }


# ---------------------------------------------------------------- tensor expressions, PyTorch

def torch_cases():
    g = torch.Generator().manual_seed(7)

    def t(*shape):
        return torch.randn(*shape, generator=g, dtype=torch.float64).requires_grad_(True)

    cases = []

    def case(name, inputs, fn):
        out = fn(*inputs)
        grads = torch.autograd.grad(out, inputs)
        cases.append({
            "name": name,
            "inputs": [{"shape": list(x.shape), "data": x.detach().flatten().tolist()} for x in inputs],
            "value": float(out),
            "grads": [gr.flatten().tolist() for gr in grads],
        })

    # a two-layer ReLU network on a batch with a bias column, least squares
    case("mlp", [t(5, 3), t(5, 1), t(2, 5), t(2, 1), t(3, 4), t(2, 4)],
         lambda w0, b0, w1, b1, x, y: ((b1 + w1 @ torch.relu(b0 + w0 @ x) - y) ** 2).sum())
    # row broadcasting, division, mean along an axis, tanh and exp
    case("broadcast_row", [t(3, 4), t(1, 4), t(3, 1)],
         lambda a, b, c: (torch.tanh(a * b) / (2 + torch.exp(c))).mean(dim=0).sum())
    # a rank-1 tensor against a matrix, sum along axis 1, sigmoid, transpose, reshape
    case("rank1", [t(4), t(3, 4), t(6, 2)],
         lambda v, m, r: (torch.sigmoid(m - v).sum(dim=1)
                          * (r.reshape(4, 3).t() @ (v.abs() + 1).reshape(4, 1)).reshape(3).sin()).sum())
    return cases


def main():
    write(os.path.join(HERE, "deep_default.json"), deep(0, 5, 6, 1.2, 20.0))
    write(os.path.join(HERE, "deep_seed3.json"), deep(3, 3, 4, -0.7, 5.0))
    write(os.path.join(HERE, "init_default.json"), init(5, 8, 1.0, 1000))
    write(os.path.join(HERE, "init_he.json"), init(10, 20, 2.0 / 20, 500))
    write(os.path.join(HERE, "init_deep.json"), init(50, 80, 1.0, 1000))
    write(os.path.join(HERE, "init_deep_small.json"), init(50, 80, 0.005, 1000))
    tensor_dir = os.path.join(HERE, "..", "tensor")
    os.makedirs(tensor_dir, exist_ok=True)
    write(os.path.join(tensor_dir, "torch_gradients.json"), {"cases": torch_cases()})


if __name__ == "__main__":
    main()
