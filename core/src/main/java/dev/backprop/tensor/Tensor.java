package dev.backprop.tensor;

import dev.backprop.op.Op;
import java.util.Arrays;

/**
 * An immutable dense tensor of doubles: a shape and its elements in row-major order.
 *
 * <p>Operations return new tensors and follow numpy: {@link #matmul} multiplies matrices,
 * elementwise operations broadcast ({@code (D, N) + (D, 1)} adds a bias column to every column),
 * {@link #sum(int, boolean)} reduces along an axis. Elementwise values come from the primitive
 * table {@link Op}, the same one the scalar engine uses. To differentiate, record the operations on
 * a {@link TensorTape} instead; its forward values are exactly these.
 *
 * <p>A shape mismatch throws {@link IllegalArgumentException} naming the operation and both
 * shapes, e.g. {@code matmul: shapes (6, 1) and (6, 6) do not fit}.
 */
public final class Tensor {
    // Never written after construction; tensors may share one array.
    final double[] data;
    final int[] shape;

    Tensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** A tensor of the given shape holding a copy of {@code data} (row-major). */
    public static Tensor of(double[] data, int... shape) {
        int[] s = checkShape("of", shape);
        if (data.length != count(s)) {
            throw new IllegalArgumentException("of: " + data.length + " numbers do not fill shape " + Shapes.format(s));
        }
        return new Tensor(data.clone(), s);
    }

    /** A tensor of rank 0 holding one number. */
    public static Tensor scalar(double value) {
        return new Tensor(new double[] {value}, new int[0]);
    }

    /** A rank-1 tensor of shape {@code (n,)}. */
    public static Tensor vector(double... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A column, shape {@code (n, 1)}: the book's vectors. */
    public static Tensor column(double... values) {
        return new Tensor(values.clone(), new int[] {values.length, 1});
    }

    /** A matrix from its rows, which must all have the same length. */
    public static Tensor matrix(double[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] d = new double[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("matrix: row " + i + " has " + rows[i].length + " numbers, row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return new Tensor(d, new int[] {m, n});
    }

    /** A mask for {@link TensorVar#where}: 1 where {@code values} is true, 0 elsewhere. */
    public static Tensor mask(boolean[] values, int... shape) {
        int[] s = checkShape("mask", shape);
        if (values.length != count(s)) {
            throw new IllegalArgumentException("mask: " + values.length + " values do not fill shape " + Shapes.format(s));
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i] ? 1 : 0;
        }
        return new Tensor(d, s);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape("zeros", shape);
        return new Tensor(new double[count(s)], s);
    }

    /** A tensor with every element equal to {@code value}. */
    public static Tensor full(double value, int... shape) {
        int[] s = checkShape("full", shape);
        double[] d = new double[count(s)];
        Arrays.fill(d, value);
        return new Tensor(d, s);
    }

    // ------------------------------------------------------------------ inspection

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Length of axis {@code axis}; negative axes count from the end as in numpy. */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", shape, axis)];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The element at the given index (one coordinate per axis). */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " coordinates for shape " + Shapes.format(shape));
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " outside shape " + Shapes.format(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** The element at row-major position {@code i}. */
    public double at(int i) {
        return data[i];
    }

    /** The single element of a tensor that holds exactly one. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalArgumentException("item: shape " + Shapes.format(shape) + " holds " + data.length + " numbers, not 1");
        }
        return data[0];
    }

    /** The elements in row-major order (a copy). */
    public double[] toArray() {
        return data.clone();
    }

    /** The rows of a matrix (a copy); a rank-1 tensor gives one row, a scalar a 1×1 array. */
    public double[][] toMatrix() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("toMatrix: shape " + Shapes.format(shape) + " is not a matrix");
        }
        int m = shape.length == 2 ? shape[0] : 1;
        int n = shape.length == 0 ? 1 : shape[shape.length - 1];
        double[][] rows = new double[m][];
        for (int i = 0; i < m; i++) {
            rows[i] = Arrays.copyOfRange(data, i * n, i * n + n);
        }
        return rows;
    }

    /** A shape in Python's tuple notation, as error messages show it: {@code ()}, {@code (6,)}, {@code (6, 1)}. */
    public static String formatShape(int... shape) {
        return Shapes.format(shape);
    }

    /** Whether both tensors have the same shape. */
    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    // ------------------------------------------------------------------ operations

    /** Matrix product of two matrices, {@code (m, k) · (k, n) → (m, n)}. */
    public Tensor matmul(Tensor b) {
        if (shape.length != 2 || b.shape.length != 2 || shape[1] != b.shape[0]) {
            throw new IllegalArgumentException(
                    "matmul: shapes " + Shapes.format(shape) + " and " + Shapes.format(b.shape) + " do not fit");
        }
        int m = shape[0], k = shape[1], n = b.shape[1];
        return new Tensor(MatMul.multiply(data, b.data, m, k, n), new int[] {m, n});
    }

    /** The transpose of a matrix; tensors of rank 0 and 1 are returned unchanged, as in numpy. */
    public Tensor transpose() {
        if (shape.length < 2) {
            return this;
        }
        if (shape.length > 2) {
            throw new IllegalArgumentException("transpose: shape " + Shapes.format(shape) + " is not a matrix");
        }
        return new Tensor(MatMul.transpose(data, shape[0], shape[1]), new int[] {shape[1], shape[0]});
    }

    /** The same elements in another shape of the same size; one axis may be −1 (inferred). */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, Shapes.reshape(shape, newShape));
    }

    /** A unary primitive applied to every element. */
    public Tensor apply(Op op) {
        if (!op.accepts(1)) {
            throw new IllegalArgumentException(op.symbol() + " " + op.arityText() + ", got 1");
        }
        double[] y = new double[data.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = op.apply(data[i], 0);
        }
        return new Tensor(y, shape);
    }

    /** A binary primitive applied elementwise, broadcasting both operands (numpy rules). */
    public Tensor apply(Op op, Tensor b) {
        if (!op.accepts(2)) {
            throw new IllegalArgumentException(op.symbol() + " " + op.arityText() + ", got 2");
        }
        return Broadcast.of(op.name().toLowerCase(), shape, b.shape).apply(op, data, b.data);
    }

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor b) {
        return apply(Op.ADD, b);
    }

    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor b) {
        return apply(Op.SUB, b);
    }

    /** Elementwise product with broadcasting (not the matrix product; see {@link #matmul}). */
    public Tensor mul(Tensor b) {
        return apply(Op.MUL, b);
    }

    /** Elementwise quotient with broadcasting. */
    public Tensor div(Tensor b) {
        return apply(Op.DIV, b);
    }

    /** Adds a number to every element. */
    public Tensor add(double c) {
        return add(scalar(c));
    }

    /** Multiplies every element by a number. */
    public Tensor mul(double c) {
        return mul(scalar(c));
    }

    /** max(x, 0) elementwise. */
    public Tensor relu() {
        return apply(Op.RELU);
    }

    /** x·x elementwise. */
    public Tensor square() {
        return mul(this);
    }

    /** The sum of all elements, as a rank-0 tensor. */
    public Tensor sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return scalar(s);
    }

    /** The sum along one axis, dropping it (numpy's default). */
    public Tensor sum(int axis) {
        return sum(axis, false);
    }

    /** The sum along one axis; with {@code keepDims} the axis stays with length 1. */
    public Tensor sum(int axis, boolean keepDims) {
        int ax = Shapes.axis("sum", shape, axis);
        int outer = 1, inner = 1, n = shape[ax];
        for (int i = 0; i < ax; i++) {
            outer *= shape[i];
        }
        for (int i = ax + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < n; k++) {
                int src = (o * n + k) * inner, dst = o * inner;
                for (int j = 0; j < inner; j++) {
                    out[dst + j] += data[src + j];
                }
            }
        }
        return new Tensor(out, Shapes.reduce(shape, ax, keepDims));
    }

    /** The mean of all elements, as a rank-0 tensor. */
    public Tensor mean() {
        return scalar(sum().data[0] / data.length);
    }

    /** The mean along one axis, dropping it. */
    public Tensor mean(int axis) {
        return mean(axis, false);
    }

    /** The mean along one axis; with {@code keepDims} the axis stays with length 1. */
    public Tensor mean(int axis, boolean keepDims) {
        int n = shape[Shapes.axis("mean", shape, axis)];
        return sum(axis, keepDims).div(scalar(n));
    }

    /**
     * The position of the largest element along an axis, dropping it, as doubles: the first of
     * tied maxima, and the first NaN if there is one (as {@code torch.argmax} and numpy).
     */
    public Tensor argmax(int axis) {
        int ax = Shapes.axis("argmax", shape, axis);
        Lanes l = Lanes.of(shape, ax);
        if (l.n() == 0) {
            throw new IllegalArgumentException("argmax: axis " + axis + " of shape " + Shapes.format(shape) + " is empty");
        }
        double[] out = new double[l.count()];
        for (int j = 0; j < out.length; j++) {
            int s = l.start(j), best = 0;
            double m = data[s];
            for (int k = 1; k < l.n() && m == m; k++) { // a NaN ends the search
                double v = data[s + k * l.inner()];
                if (v > m || v != v) {
                    best = k;
                    m = v;
                }
            }
            out[j] = best;
        }
        return new Tensor(out, Shapes.reduce(shape, ax, false));
    }

    /** This tensor stretched to {@code target} by numpy broadcasting (a copy). */
    public Tensor broadcastTo(int... target) {
        Broadcast b = Broadcast.of("broadcastTo", shape, target);
        if (!Arrays.equals(b.shape, target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shapes.format(shape) + " does not broadcast to " + Shapes.format(target));
        }
        return b.expandA(data);
    }

    /**
     * Sums this tensor down to {@code target}, the inverse of broadcasting: every axis that
     * broadcasting added or stretched from 1 is summed. This is how gradients return to
     * broadcast operands.
     */
    public Tensor sumTo(int... target) {
        Broadcast b = Broadcast.of("sumTo", target, shape);
        if (!Arrays.equals(b.shape, shape)) {
            throw new IllegalArgumentException("sumTo: shape " + Shapes.format(shape) + " does not reduce to " + Shapes.format(target));
        }
        return b.reduceToA(data);
    }

    // ------------------------------------------------------------------ value semantics

    /** Equal shapes and bitwise-equal elements (as {@link Double#equals}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** Elements shown at each end of an axis longer than twice this in {@link #toString()} (numpy's edgeitems). */
    static final int EDGE_ITEMS = 3;

    /**
     * The shape, then the elements nested as numpy prints them:
     * {@code Tensor(2, 2) [[1.0, 2.0], [3.0, 4.0]]}, {@code Tensor() 3.5} for a scalar. An axis
     * longer than six shows its first three and last three entries around {@code ...}, as numpy
     * does for large arrays, so a million-element matrix prints 36 numbers. Elements print as
     * {@link Double#toString(double)}: exactly, so two tensors that print alike are equal up to
     * the elided entries.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape)).append(' ');
        append(sb, 0, 0);
        return sb.toString();
    }

    /** Appends the sub-tensor of {@code axis} that starts at element {@code offset}. */
    private void append(StringBuilder sb, int axis, int offset) {
        if (axis == shape.length) {
            sb.append(data[offset]);
            return;
        }
        int n = shape[axis];
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        boolean elide = n > 2 * EDGE_ITEMS;
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (elide && i == EDGE_ITEMS) {
                sb.append(", ...");
                i = n - EDGE_ITEMS;
            }
            if (i > 0) {
                sb.append(", ");
            }
            append(sb, axis + 1, offset + i * stride);
        }
        sb.append(']');
    }

    private static int[] checkShape(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative length in shape " + Shapes.format(shape));
            }
        }
        return shape.clone();
    }

    static int count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + " is too large");
            }
        }
        return (int) n;
    }
}
