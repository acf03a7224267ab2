package dev.backprop.tensor;

/**
 * The innermost loop of {@link Gemm}: an MR×NR block of C from one packed micro-panel of A
 * (MR rows, interleaved per k step) and one of B (NR columns, interleaved per k step).
 *
 * <p>Two implementations exist so the library runs with or without {@code jdk.incubator.vector}:
 * {@link PlainMicroKernel} and {@code VectorMicroKernel}. Both sum every element over k in the same order, so
 * they agree to rounding (the vector kernel fuses each multiply-add, the plain one rounds twice).
 */
interface MicroKernel {

    /** Rows of a micro-tile. */
    int mr();

    /** Columns of a micro-tile. */
    int nr();

    /**
     * c[cOff + r·ldc + j] (=|+=) Σ_p ap[aOff + p·MR + r] · bp[bOff + p·NR + j] for r &lt; MR, j &lt; NR,
     * p &lt; kc, summed in order of p.
     *
     * @param add whether to add to C (else overwrite)
     */
    void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, boolean add);

    /** A short name for reports, e.g. {@code "vector(256-bit)"}. */
    String name();
}
