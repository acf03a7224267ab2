/**
 * Benchmarks of issue 4, run by JMH ({@code java -jar bench/target/benchmarks.jar}) or side by side
 * with the PyTorch reference scripts by {@code bench/compare} ({@link dev.backprop.bench.Compare}).
 *
 * <p>Every figure is meant to be read as a ratio against a peer measured in the same run: the
 * machine is shared and absolute timings drift. The peers are PyTorch (scripts in {@code bench/}),
 * a hand-written fused {@code DoubleVector} loop of the notebook's equations
 * ({@link dev.backprop.bench.FusedToyLoop}), and our own loss-alone figure for the gradient.
 *
 * <p>Nothing here is a library: {@code mvn verify} compiles it and runs the small correctness tests
 * of the peers, never a benchmark.
 */
package dev.backprop.bench;
