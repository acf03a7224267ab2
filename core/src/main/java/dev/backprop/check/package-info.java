/**
 * Independent checks on derivatives: finite differences (forward, as notebook 7.1 does, and
 * central), numpy's {@code allclose} comparison, and {@link dev.backprop.check.GradientCheck}:
 * backprop against finite differences and the closed form, derivative by derivative.
 */
package dev.backprop.check;
