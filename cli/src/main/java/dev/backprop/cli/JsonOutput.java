package dev.backprop.cli;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.ComputationGraph;
import dev.backprop.book.ToyModel;
import dev.backprop.book.Trace;
import dev.backprop.formula.Formula;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text that {@code backprop trace --json} and {@code backprop graph --json} print, for another
 * front end (the explorer's web API) to answer the very same bytes without going through the
 * command line: it takes a compiled formula and a complete point, so reading files, standard input
 * and {@code --at} stays with the commands. Also the parts of {@code toy --json} and {@code deep
 * --json} that the explorer's notebook pages answer, so each key is spelled in one place.
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

    /** {@code toy --json}'s {@code "parameters"}: per parameter, its three derivatives by name. */
    public static Map<String, Object> toyParameters(List<ToyModel.Parameter> parameters) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (ToyModel.Parameter p : parameters) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("backprop", p.backprop());
            e.put("closed_form", p.closedForm());
            e.put("finite_difference", p.finiteDifference());
            params.put(p.name(), e);
        }
        return params;
    }

    /**
     * {@code deep --json}'s network: {@code output}, {@code loss}, and per layer {@code f}, {@code h},
     * {@code dl_df}, {@code dl_dbias} and {@code dl_dweight} (a matrix per layer).
     */
    public static Map<String, Object> network(BackpropExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", r.output());
        m.put("loss", r.loss());
        m.put("f", columns(r.f()));
        m.put("h", columns(r.h()));
        m.put("dl_df", columns(r.dlDf()));
        m.put("dl_dbias", columns(r.dlDbias()));
        List<Object> weights = new ArrayList<>();
        for (Tensor w : r.dlDweight()) {
            weights.add(List.of((Object[]) w.toMatrix()));
        }
        m.put("dl_dweight", weights);
        return m;
    }

    private static List<Object> columns(List<Tensor> ts) {
        List<Object> l = new ArrayList<>();
        for (Tensor t : ts) {
            l.add(t.toArray());
        }
        return l;
    }
}
