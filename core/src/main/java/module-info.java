/**
 * backprop-core: reverse-mode automatic differentiation with no runtime dependencies.
 *
 * <p>{@code jdk.incubator.vector} is required {@code static}: the SIMD kernels use it, but they
 * are loaded reflectively ({@code dev.backprop.runtime.Simd}) only when the module is in the boot
 * layer, so an application that does not add it ({@code --add-modules jdk.incubator.vector})
 * runs the plain-Java kernels with the same results to rounding. {@code dev.backprop.runtime} is
 * not exported: it is shared machinery of the engines, not API.
 */
module dev.backprop.core {
    requires static jdk.incubator.vector;

    exports dev.backprop.batch;
    exports dev.backprop.book;
    exports dev.backprop.check;
    exports dev.backprop.fit;
    exports dev.backprop.formula;
    exports dev.backprop.graph;
    exports dev.backprop.io;
    exports dev.backprop.nn;
    exports dev.backprop.op;
    exports dev.backprop.optim;
    exports dev.backprop.random;
    exports dev.backprop.tensor;
}
