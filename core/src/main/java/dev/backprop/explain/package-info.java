/**
 * Backpropagation shown step by step for learners: {@link dev.backprop.explain.Trace} (the book's
 * forward and backward tables for any formula), {@link dev.backprop.explain.GradientCheck}
 * (backprop against finite differences and the closed form) and
 * {@link dev.backprop.explain.ToyModel} (notebook 7.1's worked example). The command-line tool only
 * formats what these compute.
 */
package dev.backprop.explain;
