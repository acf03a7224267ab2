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
 */
public record Trace(String outputName, double value, List<Row> forward, List<Row> backward,
                    Map<String, Double> gradient, Optional<NonFinite> nonFinite) {

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
                Collections.unmodifiableList(backward), g.inputs(), bad);
    }
}
