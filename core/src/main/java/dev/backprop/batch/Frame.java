package dev.backprop.batch;

/**
 * What one worker evaluates a block in: the kernel, a buffer per block slot, the uniforms of the
 * call, the number of points in the current block, and where the block's sums go. One per worker
 * thread, reused block after block.
 */
final class Frame {
    final Kernel kernel;
    final double[][] buf;
    final double[] uni;
    /** Scratch for {@link Kernel#dot2}'s two sums. */
    final double[] two = new double[2];
    /** Every block's sums: at {@code base}, the output's sum, then each accumulator's. */
    final double[] partial;
    int base;
    /** Points in the current block. */
    int m;

    Frame(Kernel kernel, int slots, int width, double[] uni, double[] partial) {
        this.kernel = kernel;
        this.buf = new double[slots][width];
        this.uni = uni;
        this.partial = partial;
    }
}
