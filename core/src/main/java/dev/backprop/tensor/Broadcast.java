package dev.backprop.tensor;

import dev.backprop.op.Op;
import java.util.Arrays;

/**
 * numpy broadcasting of two shapes: the result shape, and for each result element the position of
 * the element of each operand it reads. Gradients go back through the same positions with
 * {@code +=}, which is exactly "sum over the broadcast axes".
 */
final class Broadcast {
    final int[] shape;
    final int size;
    private final int[] a;
    private final int[] b;
    /** Source positions in a and b for every result element; null when that operand is not stretched. */
    private final int[] indexA;
    private final int[] indexB;

    private Broadcast(int[] shape, int[] a, int[] b) {
        this.shape = shape;
        this.size = Tensor.count(shape);
        this.a = a;
        this.b = b;
        this.indexA = Arrays.equals(a, shape) ? null : positions(a);
        this.indexB = Arrays.equals(b, shape) ? null : positions(b);
    }

    static Broadcast of(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        op + ": shapes " + Shapes.format(a) + " and " + Shapes.format(b) + " do not broadcast");
            }
            s[i] = da == 1 ? db : da;
        }
        return new Broadcast(s, a, b);
    }

    /** For every result element in row-major order, the position in an operand of shape {@code src}. */
    private int[] positions(int[] src) {
        int rank = shape.length;
        int offset = rank - src.length;
        int[] stride = new int[rank];
        for (int i = rank - 1, st = 1; i >= offset; i--) {
            stride[i] = src[i - offset] == 1 ? 0 : st;
            st *= src[i - offset];
        }
        int[] pos = new int[size];
        int[] counter = new int[rank];
        int p = 0;
        for (int i = 0; i < size; i++) {
            pos[i] = p;
            for (int ax = rank - 1; ax >= 0; ax--) {
                if (++counter[ax] < shape[ax]) {
                    p += stride[ax];
                    break;
                }
                p -= stride[ax] * (counter[ax] - 1);
                counter[ax] = 0;
            }
        }
        return pos;
    }

    private int ia(int i) {
        return indexA == null ? i : indexA[i];
    }

    private int ib(int i) {
        return indexB == null ? i : indexB[i];
    }

    Tensor apply(Op op, double[] x, double[] y) {
        double[] out = new double[size];
        if (indexA == null && indexB == null) {
            for (int i = 0; i < size; i++) {
                out[i] = op.apply(x[i], y[i]);
            }
        } else {
            for (int i = 0; i < size; i++) {
                out[i] = op.apply(x[ia(i)], y[ib(i)]);
            }
        }
        return new Tensor(out, shape);
    }

    /**
     * ∂(Σ g ⊙ op(x, y))/∂(operand {@code arg}), in that operand's shape: each result element's
     * local derivative from {@link Op#partial(int, double, double, double)} times {@code g},
     * accumulated into the element it was read from.
     */
    Tensor partial(Op op, int arg, double[] x, double[] y, double[] out, double[] g) {
        double[] d = new double[Tensor.count(arg == 0 ? a : b)];
        for (int i = 0; i < size; i++) {
            int pa = ia(i), pb = ib(i);
            d[arg == 0 ? pa : pb] += op.vjp(arg, g[i], x[pa], y[pb], out[i]);
        }
        return new Tensor(d, (arg == 0 ? a : b).clone());
    }

    /** Operand a's elements stretched to the result shape. */
    Tensor expandA(double[] x) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = x[ia(i)];
        }
        return new Tensor(out, shape);
    }

    /** Elements in the result shape summed back into operand a's shape. */
    Tensor reduceToA(double[] g) {
        double[] d = new double[Tensor.count(a)];
        for (int i = 0; i < size; i++) {
            d[ia(i)] += g[i];
        }
        return new Tensor(d, a.clone());
    }
}
