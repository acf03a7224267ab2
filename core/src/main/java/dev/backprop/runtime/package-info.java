/**
 * Machinery the engines share, so that each exists once: loading the SIMD code ({@link
 * dev.backprop.runtime.Simd}) and running work on all cores ({@link dev.backprop.runtime.Workers}).
 * A user of the library never needs it; it is public only because the batch engine and the tensor
 * engine live in different packages, and the module does not export it.
 */
package dev.backprop.runtime;
