/**
 * Gradients and fitting over Apache Spark: a data set's rows are turned once into column blocks
 * per partition ({@link dev.backprop.spark.SparkData}); each step runs the core batch engine over
 * every partition's block and combines the partitions' sums with {@code treeAggregate}, the
 * data-parallel pattern of Spark's own MLlib optimisers. Fitting plugs such a distributed loss into
 * core's own training loop ({@link dev.backprop.fit.Loop}), so the stopping rules are the same code;
 * ReLU networks and classifiers train the same way ({@link dev.backprop.spark.SparkNetworkFit}).
 */
package dev.backprop.spark;
