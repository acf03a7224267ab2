package dev.backprop.graph;

import dev.backprop.op.Op;
import java.util.Optional;

/**
 * Where a NaN or infinity first appeared: the step's name (or {@code t<i>}), the operation that
 * produced it, and whether it was the value (forward pass) or a derivative (reverse sweep).
 *
 * @param node      the node index
 * @param name      the node's label
 * @param operation the operation in formula syntax, e.g. {@code log(x)}
 * @param pass      {@code "forward"} or {@code "backward"}
 * @param number    the offending number
 */
public record NonFinite(int node, String name, String operation, String pass, double number) {

    /** One line for a user: {@code forward pass: step l = log(x) gave NaN}. */
    public String message() {
        if (pass.equals("forward")) {
            return "forward pass: step " + name + " = " + operation + " gave " + number;
        }
        return "backward pass: the local derivative of step " + name + " = " + operation + " gave " + number;
    }

    static Optional<NonFinite> firstInForward(Nodes nodes, double[][] v, int output) {
        for (int i = 0; i <= output; i++) {
            double x = Nodes.get(v, i);
            if (!Double.isFinite(x)) {
                return Optional.of(new NonFinite(i, nodes.label(i), nodes.describe(i), "forward", x));
            }
        }
        return Optional.empty();
    }

    /**
     * Replays the reverse sweep from {@code seed} and stops at the first step that turned a finite
     * derivative into a non-finite one: that step's local derivative is the culprit, not the input
     * it fed. An adjoint that is already non-finite when its node is reached was seeded so.
     */
    static Optional<NonFinite> firstInBackward(Nodes nodes, double[][] v, double[] seed) {
        for (int i = seed.length - 1; i >= 0; i--) {
            if (!Double.isFinite(seed[i])) {
                return Optional.of(new NonFinite(i, nodes.label(i), nodes.describe(i), "backward", seed[i]));
            }
        }
        double[] adj = seed.clone();
        double[] bad = new double[1];
        int at = nodes.sweep(v, adj, (i, k, d) -> {
            bad[0] = d;
            return !Double.isFinite(d);
        });
        return at < 0 ? Optional.empty() : Optional.of(new NonFinite(at, nodes.label(at), nodes.describe(at), "backward", bad[0]));
    }
}
