package dev.backprop.tensor;

/** Shape arithmetic and the wording of shape errors, shared by every tensor operation. */
final class Shapes {
    private Shapes() {
    }

    /** Python's tuple notation, so messages read like numpy's: {@code ()}, {@code (6,)}, {@code (6, 1)}. */
    static String format(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Resolves a possibly negative axis against {@code shape}. */
    static int axis(String op, int[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + format(shape));
        }
        return a;
    }

    /** The shape after reducing axis {@code axis}. */
    static int[] reduce(int[] shape, int axis, boolean keepDims) {
        if (keepDims) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    /** The new shape for a reshape, with at most one −1 inferred. */
    static int[] reshape(int[] from, int[] to) {
        int size = Tensor.count(from);
        int[] s = to.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + format(from) + " to " + format(to));
            } else {
                known *= s[i];
            }
        }
        if (unknown >= 0 && known != 0 && size % known == 0) {
            s[unknown] = (int) (size / known);
            known *= s[unknown];
        }
        if (known != size || (unknown >= 0 && s[unknown] < 0)) {
            throw new IllegalArgumentException("reshape: cannot reshape " + format(from) + " to " + format(to));
        }
        return s;
    }
}
