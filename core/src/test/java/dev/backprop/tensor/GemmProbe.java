package dev.backprop.tensor;

/** Run in a JVM without jdk.incubator.vector by {@link GemmTest}: prints the kernel and a product. */
public final class GemmProbe {
    private GemmProbe() {
    }

    public static void main(String[] args) {
        double[] c = new double[4];
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; then a product large enough to be packed.
        Gemm.multiply(2, 2, 2, new double[] {1, 2, 3, 4}, false, new double[] {5, 6, 7, 8}, false, c, false);
        double[] big = new double[64 * 64];
        java.util.Arrays.fill(big, 1.0);
        double[] cc = new double[64 * 64];
        Gemm.multiply(64, 64, 64, big, false, big, false, cc, false);
        System.out.println(Gemm.kernel() + " " + java.util.Arrays.toString(c) + " " + cc[0] + " " + cc[64 * 64 - 1]);
    }
}
