package dev.backprop.cli;

import dev.backprop.book.ComputationGraph;
import dev.backprop.book.Trace;
import dev.backprop.formula.Formula;
import java.util.Map;

/**
 * The text that {@code backprop trace --json} and {@code backprop graph --json} print, for another
 * front end (the explorer's web API) to answer the very same bytes without going through the
 * command line: it takes a compiled formula and a complete point, so reading files, standard input
 * and {@code --at} stays with the commands.
 */
public final class JsonOutput {
    /** Decimals in the graph's box labels when no {@code --digits} is given. */
    public static final int DEFAULT_DIGITS = 3;
    /** The most nodes {@link #graph} lays out (as {@code backprop graph} refuses beyond it). */
    public static final int MAX_GRAPH_NODES = GraphPicture.MAX_NODES;

    private JsonOutput() {
    }

    /**
     * What {@code backprop trace FORMULA --at POINT --json} prints, with its line end.
     *
     * @param formula the compiled formula
     * @param point   a value for every input of the formula, and nothing else
     */
    public static String trace(Formula formula, Map<String, Double> point) {
        return Json.of(TraceCommand.json(Trace.of(formula, point), formula)) + System.lineSeparator();
    }

    /**
     * What {@code backprop graph FORMULA --at POINT --digits DIGITS --json} prints, with its line end.
     *
     * @throws IllegalArgumentException when the graph has more than {@link #MAX_GRAPH_NODES} nodes
     */
    public static String graph(Formula formula, Map<String, Double> point, int digits) {
        ComputationGraph g = ComputationGraph.of(formula, point);
        try {
            return Json.of(GraphFiles.json(GraphPicture.of(g, null, digits))) + System.lineSeparator();
        } catch (BadInput e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
