package dev.backprop.book;

import dev.backprop.formula.Formula;
import dev.backprop.formula.Step;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.NonFinite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backpropagation laid out as the book lays it out: Step 1, the forward pass (every named step and
 * its value); Step 2, the backward pass (∂output/∂step, from the output down); then the gradient
 * with respect to every input.
 *
 * @param outputName the output's name ({@code l} for the toy program)
 * @param value      the output's value
 * @param forward    the forward pass, in program order, output last
 * @param backward   ∂output/∂step for every step but the output, in reverse order
 * @param gradient   ∂output/∂input for every input, in the formula's input order
 * @param nonFinite  where a NaN or infinity first appeared, forward pass first; empty if nowhere
 * @param terms      for every step but the output and for every input, by name: the chain rule's
 *                   terms whose sum is its adjoint, one per step that reads it, in program order
 */
public record Trace(String outputName, double value, List<Row> forward, List<Row> backward,
                    Map<String, Double> gradient, Optional<NonFinite> nonFinite, Map<String, List<Term>> terms) {

    /**
     * One term of the multivariate chain rule: the adjoint of a value receives {@code upstream ·
     * local} from step {@code from}, which reads it.
     *
     * @param from     the step that reads the value
     * @param local    ∂from/∂value through that step's own expression
     * @param upstream ∂output/∂from
     */
    public record Term(String from, double local, double upstream) {
        /** upstream · local, as the sweep multiplies them (an exact 0 on either side gives 0). */
        public double product() {
            return dev.backprop.op.Op.contribution(upstream, local);
        }
    }

    /**
     * One line of a table.
     *
     * @param name       the step's name
     * @param expression how the step is computed, in formula syntax
     * @param number     its value (forward) or ∂output/∂step (backward)
     */
    public record Row(String name, String expression, double number) {
    }

    /** Traces {@code formula} at the point {@code at} (every input needs a value). */
    public static Trace of(Formula formula, Map<String, Double> at) {
        Evaluation e = formula.program().evaluate(at);
        Gradient g = e.gradient();
        List<Step> steps = formula.steps();
        List<Row> forward = new ArrayList<>();
        for (Step s : steps) {
            forward.add(new Row(s.name(), s.expression(), e.value(s.node())));
        }
        List<Row> backward = new ArrayList<>();
        for (int k = steps.size() - 2; k >= 0; k--) {
            Step s = steps.get(k);
            backward.add(new Row(s.name(), s.expression(), g.of(s.node())));
        }
        Optional<NonFinite> bad = e.firstNonFinite();
        if (bad.isEmpty()) {
            bad = g.firstNonFinite();
        }
        return new Trace(formula.outputName(), e.value(), Collections.unmodifiableList(forward),
                Collections.unmodifiableList(backward), g.inputs(), bad, terms(formula, e, g, steps));
    }

    /** The chain rule's terms: each step's local derivatives with respect to the steps and inputs it reads. */
    private static Map<String, List<Term>> terms(Formula formula, Evaluation e, Gradient g, List<Step> steps) {
        dev.backprop.graph.Program p = formula.program();
        java.util.BitSet boundary = new java.util.BitSet();
        Map<Integer, String> nameOf = new java.util.LinkedHashMap<>();
        for (String in : p.inputs()) {
            boundary.set(p.inputNode(in));
            nameOf.put(p.inputNode(in), in);
        }
        Map<String, List<Term>> terms = new java.util.LinkedHashMap<>();
        for (Step s : steps.subList(0, steps.size() - 1)) { // every step but the output, whose adjoint is 1
            terms.put(s.name(), new ArrayList<>());
        }
        for (String in : p.inputs()) {
            terms.put(in, new ArrayList<>());
        }
        // A step that only renames a value (y = x; value = l) computes nothing: its one term,
        // ∂alias/∂value = 1, goes to the name it renames, and later steps read the node under
        // the newest name, the one their expressions use.
        java.util.Set<String> aliases = new java.util.HashSet<>();
        for (Step s : steps) {
            boundary.set(s.node());
            String before = nameOf.put(s.node(), s.name());
            if (before != null && terms.containsKey(before)) {
                terms.get(before).add(new Term(s.name(), 1.0, g.of(s.node())));
                aliases.add(s.name());
            }
        }
        java.util.BitSet done = new java.util.BitSet();
        for (Step t : steps) {
            if (!p.isOperation(t.node()) || aliases.contains(t.name()) || done.get(t.node())) {
                continue; // a step that is an input, a constant or a rename reads nothing
            }
            done.set(t.node());
            Gradient local = e.localGradient(t.node(), boundary);
            for (int node = boundary.nextSetBit(0); node >= 0 && node < t.node(); node = boundary.nextSetBit(node + 1)) {
                double d = local.of(node);
                String name = nameOf.get(node);
                if (d != 0 && terms.containsKey(name) && reads(p, t.node(), node, boundary)) {
                    terms.get(name).add(new Term(t.name(), d, g.of(t.node())));
                }
            }
        }
        terms.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(terms);
    }

    /** Whether step {@code step}'s own expression reads {@code node} (a path that meets no other boundary node). */
    private static boolean reads(dev.backprop.graph.Program p, int step, int node, java.util.BitSet boundary) {
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        java.util.BitSet seen = new java.util.BitSet();
        work.push(step);
        while (!work.isEmpty()) {
            int i = work.pop();
            if (!p.isOperation(i)) {
                continue;
            }
            for (int k = 0; k < p.arity(i); k++) {
                int a = p.argument(i, k);
                if (a == node) {
                    return true;
                }
                if (!boundary.get(a) && !seen.get(a)) {
                    seen.set(a);
                    work.push(a);
                }
            }
        }
        return false;
    }
}
