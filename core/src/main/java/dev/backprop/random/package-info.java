/**
 * numpy-compatible random numbers: {@link dev.backprop.random.RandomState} reproduces numpy's
 * legacy {@code np.random} stream (Mersenne Twister, polar-method Gaussians, masked-rejection
 * integers) bit for bit, so the book's notebooks that start with {@code np.random.seed(0)} give
 * the same weights, data and results in Java.
 */
package dev.backprop.random;
