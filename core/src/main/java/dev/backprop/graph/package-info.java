/**
 * Scalar reverse-mode automatic differentiation: record a computation on a
 * {@link dev.backprop.graph.Tape} through {@link dev.backprop.graph.Var} handles, then take the
 * {@link dev.backprop.graph.Gradient} of any result in one iterative reverse sweep. A tape frozen
 * into a {@link dev.backprop.graph.Program} is immutable and can be evaluated from many threads.
 */
package dev.backprop.graph;
