package dev.backprop.web;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.InitExperiment;
import dev.backprop.book.ToyModel;
import dev.backprop.book.Trace;
import dev.backprop.check.AllClose;
import dev.backprop.check.GradientCheck;
import dev.backprop.cli.JsonOutput;
import dev.backprop.formula.Formula;
import dev.backprop.formula.FormulaException;
import dev.backprop.io.DataException;
import dev.backprop.io.JsonReader;
import dev.backprop.io.JsonWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON API's answers, apart from HTTP: each method takes the parsed request and returns the
 * response body's text, or throws an {@link ApiException} carrying the status and the message.
 * Nothing here touches the file system: a formula is text, never {@code @file}.
 */
final class Api {
    private Api() {
    }

    /** The request body as a JSON object; 400 for anything else. */
    static Map<String, Object> object(String body) {
        Object v;
        try {
            v = JsonReader.parse(body, "the request body");
        } catch (DataException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ApiException(400, "the request body must be a JSON object, as {\"formula\": \"x^2\", \"at\": {\"x\": 1.5}}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) m;
        return o;
    }

    /** The formula of a request, compiled; 400 with line and column for a parse error, 422 when too long. */
    static Formula formula(Map<String, Object> req) {
        Object f = req.get("formula");
        if (!(f instanceof String s)) {
            throw new ApiException(400, "\"formula\" must be a string, as \"x*sin(y) + y^2\"");
        }
        if (s.length() > Bounds.MAX_FORMULA) {
            throw new ApiException(422, "the formula has " + s.length() + " characters; the explorer takes at most " + Bounds.MAX_FORMULA);
        }
        Formula compiled;
        try {
            compiled = Formula.compile(s);
        } catch (FormulaException e) {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("line", e.line());
            where.put("column", e.column());
            throw new ApiException(400, e.getMessage(), where);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        int nodes = compiled.program().size();
        if (nodes > Bounds.MAX_NODES) {
            throw new ApiException(422, "the formula has " + nodes + " steps; the explorer shows at most " + Bounds.MAX_NODES);
        }
        return compiled;
    }

    /** The point: a finite number for every input of {@code f}, and for nothing else. */
    static Map<String, Double> point(Formula f, Map<String, Object> req) {
        Object at = req.getOrDefault("at", Map.of());
        if (!(at instanceof Map<?, ?> given)) {
            throw new ApiException(400, "\"at\" must be an object of input values, as {\"x\": 1.5, \"y\": 0.3}");
        }
        Set<String> inputs = new HashSet<>(f.inputs());
        for (Object k : given.keySet()) {
            if (!inputs.contains(k)) {
                throw new ApiException(400, "\"at\" names '" + k + "', which is not an input of the formula (inputs: "
                        + String.join(", ", f.inputs()) + ")");
            }
        }
        Map<String, Double> point = new LinkedHashMap<>();
        for (String name : f.inputs()) {
            Object v = given.get(name);
            if (v == null) {
                throw new ApiException(400, "missing value for input '" + name + "'");
            }
            if (!(v instanceof Double d)) {
                throw new ApiException(400, "the value of '" + name + "' must be a number");
            }
            point.put(name, d);
        }
        return point;
    }

    /** {@code POST /api/inputs}: the formula's inputs and output name, so a page can ask for their values. */
    static String inputs(Map<String, Object> req) {
        Formula f = formula(req);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", f.inputs());
        m.put("output", f.outputName());
        return JsonWriter.write(m);
    }

    /** {@code POST /api/trace}: what {@code backprop trace --json} prints. */
    static String trace(Map<String, Object> req) {
        Formula f = formula(req);
        return JsonOutput.trace(f, point(f, req));
    }

    /** {@code POST /api/graph}: what {@code backprop graph --json} prints. */
    static String graph(Map<String, Object> req) {
        Formula f = formula(req);
        Map<String, Double> point = point(f, req);
        int digits = integer(req, "digits", JsonOutput.DEFAULT_DIGITS, 0, 17);
        try {
            return JsonOutput.graph(f, point, digits);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, e.getMessage());
        }
    }

    /**
     * {@code POST /api/check}: each input's derivative by backprop, central differences and the
     * closed form (as {@code backprop check}), with the closed form's text (as {@code backprop diff}).
     */
    static String check(Map<String, Object> req) {
        Formula f = formula(req);
        Map<String, Double> point = point(f, req);
        GradientCheck c = GradientCheck.run(f, point, f.inputs(), new AllClose(1e-5, 1e-8), Double.NaN);
        List<Object> rows = new ArrayList<>();
        for (GradientCheck.Entry e : c.entries()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("input", e.input());
            x.put("backprop", e.backprop());
            x.put("finite_difference", e.finiteDifference());
            x.put("closed_form", e.closedForm());
            x.put("step", e.step());
            x.put("agrees", e.agrees());
            x.put("reason", e.reason());
            x.put("closed_form_text", f.derivative(e.input()).text());
            rows.add(x);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", f.outputName());
        m.put("passed", c.passed());
        m.put("inputs", rows);
        return JsonWriter.write(m);
    }

    /** {@code POST /api/toy}: notebook 7.1 at a point (x, y and the eight parameters; the notebook's by default). */
    static String toy(Map<String, Object> req) {
        Map<String, Double> point = new LinkedHashMap<>(ToyModel.notebookPoint());
        Object at = req.getOrDefault("at", Map.of());
        if (!(at instanceof Map<?, ?> given)) {
            throw new ApiException(400, "\"at\" must be an object, as {\"x\": 2.3, \"beta0\": 1}");
        }
        for (Map.Entry<?, ?> e : given.entrySet()) {
            if (!point.containsKey(e.getKey())) {
                throw new ApiException(400, "\"at\" names '" + e.getKey() + "'; the toy model has x, y, beta0..beta3 and omega0..omega3");
            }
            if (!(e.getValue() instanceof Double d)) {
                throw new ApiException(400, "the value of '" + e.getKey() + "' must be a number");
            }
            point.put((String) e.getKey(), d);
        }
        ToyModel.Report r = ToyModel.run(point);
        Trace t = r.trace();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("point", point);
        m.put("loss", t.value());
        List<Object> forward = new ArrayList<>();
        for (Trace.Row row : t.forward()) {
            forward.add(row(row.name(), "op", row.expression(), row.number()));
        }
        m.put("forward", forward);
        List<Object> backward = new ArrayList<>();
        for (Trace.Row row : t.backward()) {
            backward.add(row(row.name(), "op", row.expression(), row.number()));
        }
        m.put("backward", backward);
        m.put("parameters", JsonOutput.toyParameters(r.parameters()));
        return JsonWriter.write(m);
    }

    private static Map<String, Object> row(String name, String key, String text, double value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put(key, text);
        m.put("value", value);
        return m;
    }

    /** {@code POST /api/deep}: notebook 7.2's ReLU network for a seed, K and D. */
    static String deep(Map<String, Object> req) {
        long seed = integer(req, "seed", (int) BackpropExperiment.DEFAULT_SEED, 0, Integer.MAX_VALUE);
        int layers = integer(req, "layers", BackpropExperiment.DEFAULT_LAYERS, 1, Bounds.MAX_DEEP_LAYERS);
        int width = integer(req, "width", BackpropExperiment.DEFAULT_WIDTH, 1, Bounds.MAX_DEEP_WIDTH);
        double x = number(req, "x", BackpropExperiment.DEFAULT_X);
        double y = number(req, "y", BackpropExperiment.DEFAULT_Y);
        BackpropExperiment.Result r = BackpropExperiment.run(seed, layers, width, x, y);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("layers", layers);
        m.put("width", width);
        m.put("x", x);
        m.put("y", y);
        m.putAll(JsonOutput.network(r));
        m.put("bias_checks", checks(r.biasChecks()));
        m.put("weight_checks", checks(r.weightChecks()));
        m.put("all_match", r.allMatch());
        return JsonWriter.write(m);
    }

    private static List<Object> checks(List<BackpropExperiment.LayerCheck> cs) {
        List<Object> out = new ArrayList<>();
        for (BackpropExperiment.LayerCheck c : cs) {
            double[] a = c.backprop().toArray();
            double[] b = c.finiteDifference().toArray();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", c.layer());
            m.put("matches", c.matches());
            m.put("max_abs_difference", worst);
            out.add(m);
        }
        return out;
    }

    /** {@code POST /api/init}: notebook 7.3's standard deviations per layer for σ², K and D. */
    static String init(Map<String, Object> req) {
        double sigma2 = number(req, "sigma2", InitExperiment.DEFAULT_SIGMA2);
        if (sigma2 < 0) {
            throw new ApiException(400, "\"sigma2\" must not be negative, got " + sigma2);
        }
        int layers = integer(req, "layers", InitExperiment.DEFAULT_LAYERS, 1, Bounds.MAX_INIT_LAYERS);
        int width = integer(req, "width", InitExperiment.DEFAULT_WIDTH, 1, Bounds.MAX_INIT_WIDTH);
        InitExperiment.Result r = InitExperiment.run(layers, width, sigma2, InitExperiment.DEFAULT_N);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sigma2", sigma2);
        m.put("layers", layers);
        m.put("width", width);
        m.put("he", 2.0 / width);
        m.put("forward_std", r.forwardStd());
        m.put("backward_std", r.backwardStd());
        return JsonWriter.write(m);
    }

    /** An integer field in [min, max] (422 outside it: the size is what is refused), or {@code otherwise}. */
    static int integer(Map<String, Object> req, String key, int otherwise, int min, int max) {
        Object v = req.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Double d) || d != Math.rint(d)) {
            throw new ApiException(400, "\"" + key + "\" must be a whole number");
        }
        if (d < min || d > max) {
            throw new ApiException(422, "\"" + key + "\" must be from " + min + " to " + max + ", got " + JsonWriter.write(d));
        }
        return d.intValue();
    }

    /** A finite number field, or {@code otherwise}. */
    static double number(Map<String, Object> req, String key, double otherwise) {
        Object v = req.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Double d) || !Double.isFinite(d)) {
            throw new ApiException(400, "\"" + key + "\" must be a finite number");
        }
        return d;
    }
}
