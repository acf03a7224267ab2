package dev.backprop.tensor;

import dev.backprop.runtime.Simd;
import dev.backprop.runtime.Workers;

import java.util.ArrayList;
import java.util.List;

/**
 * Dense float64 matrix multiply, {@code C (=|+=) op(A)·op(B)}, on row-major arrays, where op is the
 * identity or the transpose. Every matrix product in the library goes through it.
 *
 * <p>The method is the one of GotoBLAS and BLIS: C is computed in blocks whose operands are first
 * copied ("packed") into small contiguous panels that fit the caches (B: KC×NC in L3, one KC×NR
 * micro-panel in L1; A: MC×KC in L2), and a register-blocked micro-kernel runs over the panels.
 * Packing reads A and B through op, so Aᵀ·B and A·Bᵀ cost no transposed copy. Large products are
 * split across the available cores by rows (or columns, when C is wide) of C; each thread packs
 * its own panels into buffers it keeps, so a steady stream of products allocates nothing.
 *
 * <p>The micro-kernel uses {@code jdk.incubator.vector} (fused multiply-add on whole vectors) when
 * the module is in the boot layer ({@code --add-modules jdk.incubator.vector}) and plain Java
 * otherwise; {@link #kernel()} says which. Both sum every element of C over k in the same order,
 * so results agree to rounding whichever kernel runs and however many threads share the work, and
 * a given kernel gives identical results for any thread count. No term is skipped, so NaN and
 * infinity propagate as in IEEE arithmetic (0·∞ = NaN).
 */
public final class Gemm {
    // Cache blocking for AVX2-class cores (32 KiB L1d, 512 KiB L2): a KC×NR panel of B is
    // 16 KiB, an MC×KC block of A about 190 KiB, the usual BLIS proportions. A sweep of KC 128–384
    // and MC 48–192 on the MLP shapes showed no difference above the noise of a shared machine.
    static final int KC = 256;
    private static final int MC_TARGET = 96;
    private static final int NC_TARGET = 2048;
    // Below this many multiply-adds the packing costs more than it saves.
    private static final long PACK_MIN = 32L * 32 * 32;
    // Below this many multiply-adds per thread a hand-off to another thread costs more than it saves.
    private static final long SPLIT_MIN = 1L << 20;

    static final MicroKernel PLAIN = new PlainMicroKernel();
    static final MicroKernel BEST = loadBest();

    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[2][0]);

    private Gemm() {
    }

    /** The micro-kernel in use: {@code "plain"} or e.g. {@code "vector(256-bit)"}. */
    public static String kernel() {
        return BEST.name();
    }

    /** How many threads a large product is split across. */
    public static int threads() {
        return Workers.threads();
    }

    /**
     * {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} with {@code accumulate}.
     *
     * @param m          rows of op(A) and of C
     * @param n          columns of op(B) and of C
     * @param k          columns of op(A), rows of op(B)
     * @param a          A, row-major: m×k, or k×m when {@code transA}
     * @param transA     whether op(A) = Aᵀ
     * @param b          B, row-major: k×n, or n×k when {@code transB}
     * @param transB     whether op(B) = Bᵀ
     * @param c          C, row-major m×n, written in place
     * @param accumulate whether to add to C instead of overwriting it
     * @throws IllegalArgumentException if a size is negative or an array is too short for its shape
     */
    public static void multiply(int m, int n, int k, double[] a, boolean transA, double[] b, boolean transB,
            double[] c, boolean accumulate) {
        multiply(BEST, Workers.threads(), m, n, k, a, transA, b, transB, c, accumulate);
    }

    /** The same with a chosen kernel and thread count (tests compare kernels and splits). */
    static void multiply(MicroKernel kern, int threads, int m, int n, int k, double[] a, boolean transA, double[] b,
            boolean transB, double[] c, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size " + m + "×" + k + "·" + k + "×" + n);
        }
        check("A", a, (long) m * k);
        check("B", b, (long) k * n);
        check("C", c, (long) m * n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, 0, m * n, 0.0);
            }
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        long work = (long) m * n * k;
        if (work < PACK_MIN) {
            naive(m, n, k, a, transA, lda, b, transB, ldb, c, accumulate);
            return;
        }
        int parts = (int) Math.max(1, Math.min(threads, work / SPLIT_MIN));
        // Split the longer side of C, in whole micro-tiles so every part but the last is full.
        boolean byRows = m >= n;
        int unit = byRows ? kern.mr() : kern.nr();
        int tiles = ((byRows ? m : n) + unit - 1) / unit;
        parts = Math.min(parts, tiles);
        if (parts <= 1) {
            blocked(kern, m, n, k, a, 0, transA, lda, b, 0, transB, ldb, c, 0, n, accumulate);
            return;
        }
        List<Runnable> jobs = new ArrayList<>(parts);
        for (int t = 0; t < parts; t++) {
            int lo = Math.min(byRows ? m : n, (int) ((long) tiles * t / parts) * unit);
            int hi = Math.min(byRows ? m : n, (int) ((long) tiles * (t + 1) / parts) * unit);
            if (hi <= lo) {
                continue;
            }
            if (byRows) {
                int aOff = transA ? lo : lo * lda;
                jobs.add(() -> blocked(kern, hi - lo, n, k, a, aOff, transA, lda, b, 0, transB, ldb, c, lo * n, n, accumulate));
            } else {
                int bOff = transB ? lo * ldb : lo;
                jobs.add(() -> blocked(kern, m, hi - lo, k, a, 0, transA, lda, b, bOff, transB, ldb, c, lo, n, accumulate));
            }
        }
        Workers.runAll(jobs);
    }

    private static void check(String name, double[] x, long need) {
        if (x.length < need) {
            throw new IllegalArgumentException("gemm: " + name + " has " + x.length + " elements, its shape needs " + need);
        }
    }

    /** Small products: the textbook loop, summing over k in order like the blocked path. */
    private static void naive(int m, int n, int k, double[] a, boolean transA, int lda, double[] b, boolean transB, int ldb,
            double[] c, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, 0, m * n, 0.0);
        }
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = transA ? a[p * lda + i] : a[i * lda + p];
                int ci = i * n;
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    /** One thread's share: the five blocking loops around the micro-kernel. */
    private static void blocked(MicroKernel kern, int m, int n, int k, double[] a, int aOff, boolean transA, int lda,
            double[] b, int bOff, boolean transB, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        int mr = kern.mr(), nr = kern.nr();
        int mcMax = Math.max(mr, MC_TARGET / mr * mr);
        int ncMax = Math.max(nr, NC_TARGET / nr * nr);
        int kcMax = Math.min(KC, k);
        int ncPad = Math.min(ncMax, (n + nr - 1) / nr * nr);
        int mcPad = Math.min(mcMax, (m + mr - 1) / mr * mr);
        double[][] buf = BUFFERS.get();
        if (buf[0].length < mcPad * kcMax) {
            buf[0] = new double[mcPad * kcMax];
        }
        if (buf[1].length < ncPad * kcMax + mr * nr) {
            buf[1] = new double[ncPad * kcMax + mr * nr];
        }
        double[] ap = buf[0];
        double[] bp = buf[1];
        // Edge tiles are computed into this scratch (after the B panel) and copied out.
        int scratch = ncPad * kcMax;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                packB(b, bOff, transB, ldb, pc, kc, jc, nc, nr, bp);
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic);
                    packA(a, aOff, transA, lda, ic, mc, pc, kc, mr, ap);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int nrr = Math.min(nr, nc - jr);
                        int bo = jr * kc;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int mrr = Math.min(mr, mc - ir);
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            if (mrr == mr && nrr == nr) {
                                kern.tile(kc, ap, ir * kc, bp, bo, c, co, ldc, add);
                            } else {
                                kern.tile(kc, ap, ir * kc, bp, bo, bp, scratch, nr, false);
                                for (int r = 0; r < mrr; r++) {
                                    for (int j = 0; j < nrr; j++) {
                                        double v = bp[scratch + r * nr + j];
                                        int o = co + r * ldc + j;
                                        c[o] = add ? c[o] + v : v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Rows ic..ic+mc, columns pc..pc+kc of op(A) as MR-row micro-panels, zero-padded. */
    private static void packA(double[] a, int aOff, boolean transA, int lda, int ic, int mc, int pc, int kc, int mr,
            double[] ap) {
        int panels = (mc + mr - 1) / mr;
        if (transA) {
            // op(A)(i, p) = A[p][i]: read each row of A once along the whole block. Walking the
            // panels one by one instead would revisit every row with a stride of lda, which for a
            // power-of-two lda maps all rows to a few cache sets and thrashes them.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int q = 0; q < panels; q++) {
                    int o = q * kc * mr + p * mr;
                    int rows = Math.min(mr, mc - q * mr);
                    for (int r = 0; r < rows; r++) {
                        ap[o + r] = a[src + q * mr + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        ap[o + r] = 0;
                    }
                }
            }
            return;
        }
        for (int q = 0; q < panels; q++) {
            int o = q * kc * mr;
            int rows = Math.min(mr, mc - q * mr);
            for (int r = 0; r < rows; r++) {
                int src = aOff + (ic + q * mr + r) * lda + pc;
                for (int p = 0; p < kc; p++) {
                    ap[o + p * mr + r] = a[src + p];
                }
            }
            for (int r = rows; r < mr; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[o + p * mr + r] = 0;
                }
            }
        }
    }

    /** Rows pc..pc+kc, columns jc..jc+nc of op(B) as NR-column micro-panels, zero-padded. */
    private static void packB(double[] b, int bOff, boolean transB, int ldb, int pc, int kc, int jc, int nc, int nr,
            double[] bp) {
        int o = 0;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            if (transB) {
                // op(B)(p, j) = B[j][p]: read each of the NR rows of B along p.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[o + p * nr + j] = b[src + p];
                    }
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[o + p * nr + j] = 0;
                    }
                }
                o += kc * nr;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    System.arraycopy(b, src, bp, o, cols);
                    for (int j = cols; j < nr; j++) {
                        bp[o + j] = 0;
                    }
                    o += nr;
                }
            }
        }
    }

    private static MicroKernel loadBest() {
        MicroKernel simd = Simd.load(java.lang.invoke.MethodHandles.lookup(), "dev.backprop.tensor.VectorMicroKernel", MicroKernel.class);
        return simd != null ? simd : PLAIN;
    }
}
