package dev.backprop.tensor;

/**
 * A row-major tensor seen along one axis: {@code outer × n × inner}, element (o, k, j) at
 * {@code (o·n + k)·inner + j}. A lane is the n elements along the axis at fixed other coordinates;
 * lane {@code l = o·inner + j} starts at {@link #start} and steps by {@code inner}, and it is also
 * the position of its reduced element, with or without the kept axis. The reductions, slices and
 * joins of {@link Structural} walk tensors this way, so none of them transposes or copies first.
 */
record Lanes(int outer, int n, int inner) {

    static Lanes of(int[] shape, int axis) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new Lanes(outer, shape[axis], inner);
    }

    /** How many lanes: the size of the tensor reduced along the axis. */
    int count() {
        return outer * inner;
    }

    /** The position of lane {@code l}'s first element. */
    int start(int l) {
        return (l / inner) * n * inner + l % inner;
    }

    /**
     * Copies positions {@code [from, from + len)} along the axis of {@code src} (these lanes) to
     * positions {@code [at, at + len)} of {@code dst} (lanes {@code d}, same outer and inner),
     * adding instead of overwriting when {@code add}.
     */
    void copy(double[] src, int from, Lanes d, double[] dst, int at, int len, boolean add) {
        int block = len * inner;
        for (int o = 0; o < outer; o++) {
            int s = (o * n + from) * inner;
            int t = (o * d.n + at) * inner;
            if (add) {
                for (int i = 0; i < block; i++) {
                    dst[t + i] += src[s + i];
                }
            } else {
                System.arraycopy(src, s, dst, t, block);
            }
        }
    }
}
