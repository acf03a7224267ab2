/**
 * The notebooks of <i>Understanding Deep Learning</i>, chapter 7, as library calls: teaching code
 * built on the engine, kept apart from it. {@link dev.backprop.book.ToyModel} is notebook 7.1's
 * worked example, {@link dev.backprop.book.Trace} the book's forward and backward tables for any
 * formula, {@link dev.backprop.book.BackpropExperiment} notebook 7.2 (a deep ReLU network's
 * derivatives and their finite-difference check), {@link dev.backprop.book.InitExperiment}
 * notebook 7.3 (how initialisation makes activations and gradients explode or vanish), {@link
 * dev.backprop.book.Demo} the toy model fitted to data it generated itself, and {@link
 * dev.backprop.book.ToyTiming} the toy loss's speed on this machine. The command-line tool only
 * formats what these compute, with the headings and captions of {@link dev.backprop.book.Language}
 * (English, Russian: resource bundles beside these classes).
 */
package dev.backprop.book;
