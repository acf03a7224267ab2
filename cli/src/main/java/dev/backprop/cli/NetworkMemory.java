package dev.backprop.cli;

import dev.backprop.io.DataException;
import dev.backprop.io.Limits;

/**
 * The one estimate of what a ReLU network of K hidden layers of D units needs, shared by
 * {@code train}, {@code deep} and {@code init} so each refuses, before allocating, a network that
 * obviously cannot fit in the heap ({@link Limits#requireHeap}): one line and exit 2 instead of
 * filling the heap for half a minute and then failing.
 */
final class NetworkMemory {
    private NetworkMemory() {
    }

    /** Parameters of an {@code inputs} → K × D → {@code outputs} network; −1 past {@code Long.MAX_VALUE}. */
    static long parameters(int inputs, int width, int layers, int outputs) {
        try {
            long d = width;
            long hidden = Math.multiplyExact(layers - 1L, Math.addExact(Math.multiplyExact(d, d), d));
            return Math.addExact(hidden, (inputs + 1L) * d + d * outputs + outputs);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** {@code a · b}, or −1 when either is −1 or the product passes {@code Long.MAX_VALUE}. */
    static long times(long a, long b) {
        if (a < 0 || b < 0) {
            return -1;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /**
     * Refuses the network when {@code bytesPerParameter} per parameter plus {@code otherBytes}
     * exceed the heap.
     *
     * @param bytesPerParameter the copies of the parameters the command keeps, times 8
     * @param otherBytes        everything else (activations), −1 for more than can be counted
     * @param context           appended to the description, e.g. {@code ", trained on 3 rows,"}
     * @throws BadInput {@code --layers K --width D: a network of P parameters… would need … MB of memory, more than the Java heap's … MB; give Java more, e.g. BACKPROP_JAVA_OPTS=-Xmx…g}
     */
    static void require(int inputs, int width, int layers, int outputs, long bytesPerParameter, long otherBytes,
                        String context) {
        long params = parameters(inputs, width, layers, outputs);
        long bytes = times(params, bytesPerParameter);
        long total = bytes < 0 || otherBytes < 0 ? -1 : bytes + otherBytes < 0 ? -1 : bytes + otherBytes;
        try {
            Limits.requireHeap(total, "--layers " + layers + " --width " + width + ": a network of "
                    + (params < 0 ? "more than 9.2e18 parameters" : Text.count(params, "parameter")) + context);
        } catch (DataException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
