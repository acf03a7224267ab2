/**
 * Optimisers from chapter 6 of Understanding Deep Learning (gradient descent, momentum, Nesterov
 * momentum, Adam), written against one flat parameter vector so they serve formula parameters and
 * tensor models alike. {@link dev.backprop.optim.Parameters} holds the named tensors of a model
 * built from tensors, so that {@code optimizer.step(parameters, objective)} trains it without
 * flattening anything by hand.
 */
package dev.backprop.optim;
