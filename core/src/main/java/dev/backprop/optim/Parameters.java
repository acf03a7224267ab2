package dev.backprop.optim;

import dev.backprop.io.Limits;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorGradients;
import dev.backprop.tensor.TensorTape;
import dev.backprop.tensor.TensorVar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable parameters of a model built from tensors: named tensors, updated in place by an
 * {@link Optimizer} so that a network needs no hand-written flattening. Values are stored as one
 * flat vector in the order the parameters were added, which is what the optimisers work on.
 *
 * <pre>{@code
 * Parameters model = new Parameters()
 *         .add("omega0", Tensor.of(new double[] {0.5, -0.3}, 2, 1))
 *         .add("beta0", Tensor.zeros(2, 1));
 * Optimizer adam = Optimizer.adam(0.01);
 * for (int step = 0; step < 100; step++) {
 *     adam.step(model, p -> p.get("omega0").matmul(p.constant(x)).add(p.get("beta0")).relu()
 *             .sub(p.constant(y)).square().sum());
 * }
 * model.get("omega0");   // the trained weights
 * }</pre>
 *
 * <p>Mutable and not thread-safe, like the optimisers.
 */
public final class Parameters {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<int[]> shapes = new ArrayList<>();
    /** Where each parameter starts in {@link #values}; one more entry than parameters. */
    private final List<Integer> offsets = new ArrayList<>(List.of(0));
    private double[] values = new double[0];

    /** No parameters yet; {@link #add} them. */
    public Parameters() {
    }

    /**
     * Adds a parameter.
     *
     * @param name    its name, unique among these parameters
     * @param initial its starting value (copied)
     * @return this, to chain calls
     * @throws IllegalArgumentException if the name is null or already used
     */
    public Parameters add(String name, Tensor initial) {
        if (name == null) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("there already is a parameter called " + Limits.quote(name));
        }
        int from = values.length;
        values = Arrays.copyOf(values, Math.addExact(from, initial.size()));
        System.arraycopy(initial.toArray(), 0, values, from, initial.size());
        index.put(name, names.size());
        names.add(name);
        shapes.add(initial.shape());
        offsets.add(values.length);
        return this;
    }

    /** The names, in the order they were added. */
    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    /** The current value of parameter {@code name}. */
    public Tensor get(String name) {
        return tensor(position(name), values);
    }

    /** Every parameter's current value, by name, in order. */
    public Map<String, Tensor> toMap() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put(names.get(k), tensor(k, values));
        }
        return Collections.unmodifiableMap(m);
    }

    /** How many numbers the parameters hold in all. */
    public int size() {
        return values.length;
    }

    /**
     * One optimiser step; see {@link Optimizer#step(Parameters, TensorObjective)}, which calls
     * this.
     */
    double step(Optimizer optimizer, TensorObjective objective) {
        return optimizer.step(values, (at, gradient) -> {
            TensorTape tape = new TensorTape();
            TensorVar[] vars = new TensorVar[names.size()];
            for (int k = 0; k < vars.length; k++) {
                vars[k] = tape.input(names.get(k), tensor(k, at));
            }
            TensorVar loss = objective.loss(new Recording(this, tape, vars));
            if (loss == null) {
                throw new IllegalArgumentException("the objective returned no loss");
            }
            TensorGradients g = tape.gradient(loss);
            for (int k = 0; k < vars.length; k++) {
                double[] d = g.of(vars[k]).toArray();
                System.arraycopy(d, 0, gradient, offsets.get(k), d.length);
            }
            return loss.value().item();
        });
    }

    private int position(String name) {
        Integer k = index.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no parameter called " + Limits.quote(String.valueOf(name))
                    + " (parameters: " + Limits.list(names) + ")");
        }
        return k;
    }

    private Tensor tensor(int k, double[] from) {
        return Tensor.of(Arrays.copyOfRange(from, offsets.get(k), offsets.get(k + 1)), shapes.get(k));
    }

    /** The names and shapes: {@code Parameters[omega0=(2, 1), beta0=(2, 1); 4 numbers]}. */
    @Override
    public String toString() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put(names.get(k), Tensor.formatShape(shapes.get(k)));
        }
        return "Parameters[" + Limits.entries(m) + "; " + values.length + " numbers]";
    }

    /**
     * The parameters as values on a fresh {@link TensorTape}, handed to a {@link TensorObjective}
     * at each step: record the loss from {@link #get} and data from {@link #constant}.
     */
    public static final class Recording {
        private final Parameters params;
        private final TensorTape tape;
        private final TensorVar[] vars;

        private Recording(Parameters params, TensorTape tape, TensorVar[] vars) {
            this.params = params;
            this.tape = tape;
            this.vars = vars;
        }

        /**
         * Parameter {@code name} on the tape, where the gradient flows into it.
         *
         * @throws IllegalArgumentException if there is no such parameter, listing those there are
         */
        public TensorVar get(String name) {
            return vars[params.position(name)];
        }

        /** Data (inputs, targets, fixed numbers) on the tape: no gradient flows into it. */
        public TensorVar constant(Tensor value) {
            return tape.constant(value);
        }

        /** The tape the loss is recorded on. */
        public TensorTape tape() {
            return tape;
        }
    }
}
