/**
 * Fully connected ReLU networks as in chapter 7 of <i>Understanding Deep Learning</i>.
 *
 * <p>{@link dev.backprop.nn.Network} holds Ω_0..Ω_K and β_0..β_K; its
 * {@link dev.backprop.nn.Network#forward forward pass} keeps every f_k and h_k
 * ({@link dev.backprop.nn.Forward}); its gradient comes either from the book's explicit backward
 * recursion or from the tensor autograd engine, both as a {@link dev.backprop.nn.Backward} holding
 * every step. {@link dev.backprop.nn.Init} draws weights from N(0, σ²) (He: σ² = 2/D) with a
 * numpy-compatible generator. {@link dev.backprop.nn.BackpropExperiment} and
 * {@link dev.backprop.nn.InitExperiment} are notebooks 7.2 and 7.3 as library calls: every number
 * the notebooks print is in their results. {@link dev.backprop.nn.Trainer} is the fast path for
 * training: in-place SGD steps (squared error or softmax cross-entropy) on preallocated buffers.
 */
package dev.backprop.nn;
