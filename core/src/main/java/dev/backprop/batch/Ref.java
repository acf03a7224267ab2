package dev.backprop.batch;

/**
 * Where an operand of a compiled instruction lives: a block slot (one value per point of the
 * block being evaluated) or a uniform (one value for every point: a parameter, a constant, or
 * something computed from them once per call).
 *
 * @param block whether it is a block slot
 * @param index the slot's or the uniform's number
 */
record Ref(boolean block, int index) {

    static Ref slot(int index) {
        return new Ref(true, index);
    }

    static Ref uniform(int index) {
        return new Ref(false, index);
    }

    /** The block's values, or null for a uniform (the kernels' convention: see {@link #scalar}). */
    double[] array(Frame f) {
        return block ? f.buf[index] : null;
    }

    /** The uniform's value; 0 (unused) for a block. */
    double scalar(Frame f) {
        return block ? 0 : f.uni[index];
    }

    @Override
    public String toString() {
        return (block ? "s" : "u") + index;
    }
}
