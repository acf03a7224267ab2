import dev.backprop.tensor.Gemm;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The measurement behind the choice of matrix multiply (README, Design): our Gemm against the BLAS
 * binding Apache Spark uses (dev.ludovic.netlib 3.0.3: JNI to the system's OpenBLAS, and its pure
 * Java VectorBLAS), on the MLP step's shapes. Contenders run round-robin, several rounds, and the
 * median of each is printed, so a busy machine slows them alike. Run with bench/gemm_vs_blas.
 */
public final class GemmVsBlas {
    interface Mm {
        void run(int m, int n, int k, double[] a, boolean ta, double[] b, double[] c);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<String> names = new ArrayList<>();
        List<Mm> impls = new ArrayList<>();
        names.add("backprop Gemm " + Gemm.kernel() + ", " + Gemm.threads() + " threads");
        impls.add((m, n, k, a, ta, b, c) -> Gemm.multiply(m, n, k, a, ta, b, false, c, false));
        for (BLAS blas : new BLAS[] {NativeBLAS.getInstance(), JavaBLAS.getInstance()}) {
            names.add("netlib " + blas.getClass().getSimpleName());
            // Row-major C = op(A)·B is column-major Cᵀ = Bᵀ·op(A)ᵀ.
            impls.add((m, n, k, a, ta, b, c) -> blas.dgemm("N", ta ? "T" : "N", n, m, k, 1.0, b, n, a, ta ? m : k, 0.0, c, n));
        }
        int[][] shapes = {{256, 1024, 784, 0}, {1024, 256, 784, 0}, {1024, 256, 1024, 1}};
        Random r = new Random(1);
        System.out.printf("%-45s %-22s %8s %8s%n", "implementation", "shape (m×k·k×n)", "GFLOP/s", "ms");
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean ta = s[3] == 1;
            double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            double[][] ms = new double[impls.size()][rounds];
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                for (int i = 0; i < impls.size(); i++) {
                    long t0 = System.nanoTime();
                    int reps = 0;
                    while (System.nanoTime() - t0 < 300_000_000L) {
                        impls.get(i).run(m, n, k, a, ta, b, c);
                        reps++;
                    }
                    if (round >= 0) {
                        ms[i][round] = (System.nanoTime() - t0) / 1e6 / reps;
                    }
                }
            }
            for (int i = 0; i < impls.size(); i++) {
                Arrays.sort(ms[i]);
                double med = ms[i][rounds / 2];
                String shape = m + "×" + k + (ta ? "ᵀ" : "") + "·" + k + "×" + n;
                System.out.printf("%-45s %-22s %8.1f %8.2f%n", names.get(i), shape, 2.0 * m * n * k / med / 1e6, med);
            }
        }
    }
}
