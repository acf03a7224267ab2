/**
 * Dense double tensors with reverse-mode automatic differentiation.
 *
 * <p>{@link dev.backprop.tensor.Tensor} is an immutable value (shape + row-major elements) with
 * numpy-style operations: matmul, transpose, reshape, broadcasting elementwise primitives from
 * {@link dev.backprop.op.Op}, sums and means over all elements or one axis. A
 * {@link dev.backprop.tensor.TensorTape} records the same operations through
 * {@link dev.backprop.tensor.TensorVar} handles (which add max, logsumexp, softmax and logSoftmax
 * along an axis, slices, gathers, concatenation, where, and the cross-entropy, binary
 * cross-entropy and squared-error losses, their structural rules in
 * {@link dev.backprop.tensor.Structural}) and returns
 * {@link dev.backprop.tensor.TensorGradients} of a scalar result with respect to every recorded
 * tensor in one iterative reverse sweep, or, with {@code createGraph}, that sweep recorded on the
 * same tape, so gradients can be differentiated again (Hessian-vector products, gradient
 * penalties). Every matrix product, forward and backward, is one call
 * to {@link dev.backprop.tensor.Gemm}, a packed, cache-blocked, multi-threaded float64 GEMM with a
 * SIMD micro-kernel when {@code jdk.incubator.vector} is available and a plain-Java one otherwise.
 */
package dev.backprop.tensor;
