/**
 * Fully connected ReLU networks as in chapter 7 of <i>Understanding Deep Learning</i>.
 *
 * <p>{@link dev.backprop.nn.Network} holds Ω_0..Ω_K and β_0..β_K; its
 * {@link dev.backprop.nn.Network#forward forward pass} keeps every f_k and h_k
 * ({@link dev.backprop.nn.Forward}); its gradient comes either from the book's explicit backward
 * recursion or from the tensor autograd engine, both as a {@link dev.backprop.nn.Backward} holding
 * every step. {@link dev.backprop.nn.Init} draws weights from N(0, σ²) (He: σ² = 2/D) with a
 * numpy-compatible generator. {@link dev.backprop.nn.Trainer} is the one production path for
 * training: forward, loss (squared error or softmax cross-entropy) and backward on preallocated
 * buffers, driven by its own SGD step or by any optimiser ({@code fit.NetworkFit}).
 * {@link dev.backprop.nn.Model} is a trained network with the columns it reads and predicts, saved
 * to and loaded from the JSON file {@code backprop train --out} writes, and used for predictions.
 * The notebooks' experiments on these networks live in {@code dev.backprop.book}.
 */
package dev.backprop.nn;
