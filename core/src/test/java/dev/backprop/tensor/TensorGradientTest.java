package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.check.FiniteDifference;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tensor operation's gradient against central finite differences, from one table. Each case
 * names the operation, the shapes of its inputs, the range their elements are drawn from, and the
 * computation. A non-scalar result r is reduced to Σ r ⊙ w with fixed random weights w, so every
 * element of the gradient is exercised with a different weight.
 */
class TensorGradientTest {

    /** Elements drawn uniformly from ±[lo, hi], or from [lo, hi] when {@code positive}. */
    record Domain(double lo, double hi, boolean positive) {
        static final Domain ANY = new Domain(0.1, 1.5, false);
        static final Domain POSITIVE = new Domain(0.2, 2.0, true);
        /** Inside asin's and acos's domain, away from its ends. */
        static final Domain UNIT = new Domain(0.1, 0.9, false);
    }

    record Case(String name, int[][] shapes, Domain domain, Function<List<TensorVar>, TensorVar> fn) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            for (int[] s : shapes) {
                sb.append(' ').append(Tensor.formatShape(s));
            }
            return sb.toString();
        }
    }

    static Case c(String name, Domain d, Function<List<TensorVar>, TensorVar> fn, int[]... shapes) {
        return new Case(name, shapes, d, fn);
    }

    static int[] s(int... dims) {
        return dims;
    }

    static Stream<Case> cases() {
        List<Case> t = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.unary()) {
                Domain d = op == Op.ASIN || op == Op.ACOS ? Domain.UNIT
                        : op == Op.LOG || op == Op.SQRT || op == Op.LOG1P ? Domain.POSITIVE : Domain.ANY;
                t.add(c(op.name().toLowerCase(), d, x -> x.get(0).apply(op), s(3, 4)));
            }
        }
        int[][][] broadcastPairs = {
            {s(3, 4), s(3, 4)},        // same shape
            {s(3, 4), s(3, 1)},        // a column against a matrix: the bias case
            {s(3, 1), s(3, 4)},
            {s(3, 4), s(4)},           // a rank-1 row against a matrix
            {s(1, 4), s(3, 1)},        // both stretched
            {s(), s(2, 3)},            // a scalar
            {s(2, 1, 3), s(4, 1)},     // rank 3 against rank 2
        };
        for (Op op : Op.values()) {
            if (!op.unary()) {
                Domain d = op == Op.POW || op == Op.DIV ? Domain.POSITIVE : Domain.ANY;
                for (int[][] p : broadcastPairs) {
                    t.add(c(op.name().toLowerCase(), d, x -> x.get(0).apply(op, x.get(1)), p[0], p[1]));
                }
            }
        }
        t.add(c("matmul", Domain.ANY, x -> x.get(0).matmul(x.get(1)), s(3, 4), s(4, 2)));
        t.add(c("matmul", Domain.ANY, x -> x.get(0).matmul(x.get(1)), s(1, 5), s(5, 1)));
        t.add(c("matmul", Domain.ANY, x -> x.get(0).matmul(x.get(1)), s(6, 1), s(1, 6)));
        t.add(c("transpose", Domain.ANY, x -> x.get(0).transpose(), s(3, 4)));
        t.add(c("transpose", Domain.ANY, x -> x.get(0).transpose(), s(5)));
        t.add(c("reshape", Domain.ANY, x -> x.get(0).reshape(2, 6), s(3, 4)));
        t.add(c("reshape -1", Domain.ANY, x -> x.get(0).reshape(3, -1), s(12)));
        t.add(c("sum", Domain.ANY, x -> x.get(0).sum(), s(3, 4)));
        t.add(c("sum axis 0", Domain.ANY, x -> x.get(0).sum(0), s(3, 4)));
        t.add(c("sum axis 1 keepDims", Domain.ANY, x -> x.get(0).sum(1, true), s(3, 4)));
        t.add(c("sum axis -1", Domain.ANY, x -> x.get(0).sum(-1), s(2, 3, 4)));
        t.add(c("sum axis 1 rank 3", Domain.ANY, x -> x.get(0).sum(1, true), s(2, 3, 4)));
        t.add(c("mean", Domain.ANY, x -> x.get(0).mean(), s(3, 4)));
        t.add(c("mean axis 0 keepDims", Domain.ANY, x -> x.get(0).mean(0, true), s(3, 4)));
        t.add(c("mean axis 1", Domain.ANY, x -> x.get(0).mean(1), s(3, 4)));
        t.add(c("square", Domain.ANY, x -> x.get(0).square(), s(3, 4)));
        t.add(c("used twice", Domain.ANY, x -> x.get(0).mul(x.get(0)).add(x.get(0).sin()), s(2, 2)));
        t.add(c("constant operands", Domain.POSITIVE, x -> x.get(0).add(1.5).mul(2).sub(0.5).div(3).pow(1.5), s(2, 3)));
        t.add(c("broadcast", Domain.ANY, x -> x.get(0).broadcastTo(2, 3, 4), s(3, 1)));
        t.add(c("sum_to", Domain.ANY, x -> x.get(0).sumTo(3, 1), s(2, 3, 4)));
        t.add(c("sum_to scalar", Domain.ANY, x -> x.get(0).sumTo(), s(2, 3)));
        t.add(c("amax axis 1", Domain.ANY, x -> x.get(0).max(1), s(3, 4)));
        t.add(c("amax axis 0 keepDims", Domain.ANY, x -> x.get(0).max(0, true), s(2, 3, 4)));
        t.add(c("logsumexp axis 1", Domain.ANY, x -> x.get(0).logsumexp(1), s(3, 4)));
        t.add(c("logsumexp axis -1 keepDims", Domain.ANY, x -> x.get(0).logsumexp(-1, true), s(2, 3, 4)));
        t.add(c("log_softmax axis 1", Domain.ANY, x -> x.get(0).logSoftmax(1), s(3, 4)));
        t.add(c("log_softmax axis 0", Domain.ANY, x -> x.get(0).logSoftmax(0), s(3, 4)));
        t.add(c("softmax axis 1", Domain.ANY, x -> x.get(0).softmax(1), s(3, 4)));
        t.add(c("slice", Domain.ANY, x -> x.get(0).slice(0, 1, 3), s(4, 3)));
        t.add(c("slice axis 1 rank 3", Domain.ANY, x -> x.get(0).slice(1, 0, 2), s(2, 3, 2)));
        t.add(c("gather", Domain.ANY, x -> x.get(0).gather(2, 0, 2, 2), s(3, 4)));
        t.add(c("gather axis 1", Domain.ANY, x -> x.get(0).indexSelect(1, 3, 3, 0), s(2, 4)));
        t.add(c("scatter_add", Domain.ANY, x -> x.get(0).tape().apply(Structural.SCATTER_ADD, new int[] {0, 3, 2, 0, 2, 2}, x.get(0)), s(4, 3)));
        t.add(c("scatter_add axis 1", Domain.ANY, x -> x.get(0).tape().apply(Structural.SCATTER_ADD, new int[] {1, 4, 3}, x.get(0)), s(2, 1, 3)));
        t.add(c("concat", Domain.ANY, x -> TensorVar.concat(0, x.get(0), x.get(1), x.get(0)), s(2, 3), s(1, 3)));
        t.add(c("concat axis 1", Domain.ANY, x -> TensorVar.concat(-1, x.get(0), x.get(1)), s(2, 1), s(2, 3)));
        Tensor mask = Tensor.mask(new boolean[] {true, false, false, true, true, false}, 2, 3);
        t.add(c("where", Domain.ANY, x -> TensorVar.where(mask, x.get(0), x.get(1)), s(2, 3), s(2, 3)));
        t.add(c("where broadcast", Domain.ANY,
                x -> TensorVar.where(Tensor.mask(new boolean[] {false, true}, 2, 1), x.get(0), x.get(1)), s(2, 3), s(3)));
        t.add(c("cross entropy", Domain.ANY, x -> x.get(0).crossEntropy(2, 0, 3), s(3, 4)));
        t.add(c("bce with logits", Domain.ANY, x -> x.get(0).binaryCrossEntropyWithLogits(x.get(1).sigmoid()), s(3, 4), s(3, 4)));
        t.add(c("mse", Domain.ANY, x -> x.get(0).mse(x.get(1)), s(3, 4), s(3, 4)));
        t.add(c("dense layer", Domain.ANY,
                x -> x.get(1).add(x.get(0).matmul(x.get(2))).relu().square().mean(1, true), s(4, 3), s(4, 1), s(3, 5)));
        return t.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        Random rng = new Random(c.toString().hashCode());
        Tensor[] inputs = new Tensor[c.shapes.length];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = draw(rng, c.domain, c.shapes[k]);
        }
        int[] outShape = apply(c, inputs).shape();
        Tensor w = draw(rng, Domain.ANY, outShape);

        TensorTape tape = new TensorTape();
        List<TensorVar> vars = new ArrayList<>();
        for (Tensor x : inputs) {
            vars.add(tape.input(x));
        }
        TensorVar loss = c.fn.apply(vars).mul(tape.constant(w)).sum();
        TensorGradients g = tape.gradient(loss);

        for (int k = 0; k < inputs.length; k++) {
            Tensor grad = g.of(vars.get(k));
            assertThat(grad.shape()).as("gradient shape of input %d", k).isEqualTo(inputs[k].shape());
            final int which = k;
            double[] x0 = inputs[k].toArray();
            for (int i = 0; i < x0.length; i++) {
                double fd = FiniteDifference.central(x -> {
                    Tensor[] in = inputs.clone();
                    in[which] = Tensor.of(x, inputs[which].shape());
                    return apply(c, in).mul(w).sum().item();
                }, x0, i, FiniteDifference.centralStep(x0[i]));
                assertThat(grad.at(i)).as("%s: ∂/∂input%d[%d]", c, k, i)
                        .isCloseTo(fd, org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    /** The case's computation on plain values, through a throwaway tape (the forward values). */
    static Tensor apply(Case c, Tensor[] inputs) {
        TensorTape tape = new TensorTape();
        List<TensorVar> vars = new ArrayList<>();
        for (Tensor x : inputs) {
            vars.add(tape.constant(x));
        }
        return c.fn.apply(vars).value();
    }

    static Tensor draw(Random rng, Domain d, int[] shape) {
        double[] v = new double[Tensor.count(shape)];
        for (int i = 0; i < v.length; i++) {
            double m = d.lo + (d.hi - d.lo) * rng.nextDouble();
            v[i] = d.positive || rng.nextBoolean() ? m : -m;
        }
        return Tensor.of(v, shape);
    }

    /** The table covers every primitive of {@link Op} and every rule of {@link Structural}, so a new one cannot go untested. */
    @org.junit.jupiter.api.Test
    void tableCoversEveryPrimitive() {
        List<String> names = cases().map(Case::name).toList();
        for (Op op : Op.values()) {
            assertThat(names).as("primitives in the table").contains(op.name().toLowerCase());
        }
        for (Structural op : Structural.values()) {
            assertThat(names).as("structural rules in the table").anyMatch(n -> n.startsWith(op.name().toLowerCase()));
        }
        assertThat(Arrays.asList("mean", "square", "softmax axis 1", "cross entropy", "bce with logits", "mse")).allMatch(names::contains);
    }
}
