/**
 * Optimisers from chapter 6 of Understanding Deep Learning (gradient descent, momentum, Nesterov
 * momentum, Adam), written against one flat parameter vector so they serve formula parameters and
 * tensor models alike.
 */
package dev.backprop.optim;
