/**
 * Training, chapter 6 of Understanding Deep Learning put to work: fitting a formula's parameters
 * to columns of data ({@link FormulaFit}, loss = the formula summed over the points or over a
 * mini-batch, evaluated with {@link dev.backprop.batch.BatchProgram}) and fitting a ReLU
 * {@link dev.backprop.nn.Network} by least squares ({@link NetworkFit}, gradients from {@link
 * dev.backprop.nn.Trainer}), with any {@link dev.backprop.optim.Optimizer}.
 *
 * <p>A run follows a {@link Schedule} (steps or epochs, batch size, shuffling seed), reports each
 * step to a {@link Progress}, can be stopped between steps through an interrupt flag, and ends in a
 * {@link FitResult} saying why it stopped: it completed, the loss stopped being finite (the last
 * finite parameters are kept), or it was interrupted.
 */
package dev.backprop.fit;
