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

    static Optional<NonFinite> firstInBackward(Nodes nodes, double[][] v, double[] adj) {
        // In sweep order (output down), find the first step that turned a finite derivative into a
        // non-finite one: that step's local derivative is the culprit, not the input it fed.
        for (int i = adj.length - 1; i >= 0; i--) {
            if (!Double.isFinite(adj[i])) {
                return Optional.of(new NonFinite(i, nodes.label(i), nodes.describe(i), "backward", adj[i]));
            }
            byte c = nodes.code(i);
            if (c < 0 || adj[i] == 0) {
                continue;
            }
            Op op = Op.ofOrdinal(c);
            double va = Nodes.get(v, nodes.a(i));
            double vb = op.arity() == 2 ? Nodes.get(v, nodes.b(i)) : 0;
            for (int k = 0; k < op.arity(); k++) {
                int arg = k == 0 ? nodes.a(i) : nodes.b(i);
                double d = Op.contribution(adj[i], op.partial(k, va, vb, Nodes.get(v, i)));
                if (!nodes.isConstant(arg) && !Double.isFinite(d)) {
                    return Optional.of(new NonFinite(i, nodes.label(i), nodes.describe(i), "backward", d));
                }
            }
        }
        return Optional.empty();
    }
}
