/**
 * Fused evaluation of a compiled formula over columns of data: the sum of the output over N points
 * and its gradient with respect to the scalar inputs, in cache-sized blocks of points, with SIMD
 * where the JVM offers {@code jdk.incubator.vector}, split over all cores with a deterministic
 * reduction order. Entry point: {@link dev.backprop.batch.BatchProgram}.
 */
package dev.backprop.batch;
