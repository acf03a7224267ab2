package dev.backprop.bench;

import dev.backprop.graph.Gradient;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;

/**
 * The scalar-graph workload: a chain of operations recorded through the public
 * {@link Tape}/{@link Var} API, then differentiated in one reverse sweep.
 *
 * <p>The chain cycles through {@code v·a}, {@code v + b}, {@code sin v}: binary and unary
 * operations, each consuming the previous result, values bounded. Every recorded node but the two
 * inputs is an operation, so {@code ops} operations make a tape of {@code ops + 2} nodes.
 */
public final class TapeChain {
    /** The benchmark's graph size. */
    public static final int OPS = 10_000_000;

    private TapeChain() {
    }

    /** A finished recording: the tape, its inputs and its output. */
    public record Recording(Tape tape, Var a, Var b, Var output) {
    }

    /** Records {@code ops} operations on a fresh tape. */
    public static Recording record(int ops) {
        Tape tape = new Tape();
        Var a = tape.input("a", 0.9);
        Var b = tape.input("b", 0.1);
        Var v = a;
        for (int i = 0; i < ops; i++) {
            switch (i % 3) {
                case 0 -> v = v.mul(a);
                case 1 -> v = v.add(b);
                default -> v = v.sin();
            }
        }
        return new Recording(tape, a, b, v);
    }

    /** Records {@code ops} operations and differentiates; returns ∂output/∂a + ∂output/∂b. */
    public static double run(int ops) {
        Recording r = record(ops);
        Gradient g = r.tape().gradient(r.output());
        return g.of(r.a()) + g.of(r.b());
    }
}
