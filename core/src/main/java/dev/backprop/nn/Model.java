package dev.backprop.nn;

import dev.backprop.io.Columns;
import dev.backprop.io.DataException;
import dev.backprop.io.JsonReader;
import dev.backprop.io.AtomicFile;
import dev.backprop.io.JsonWriter;
import dev.backprop.io.Limits;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained network with what it takes to use it: the data columns it reads, the columns it
 * predicts, and whether it is a classifier (one output per class, trained by softmax cross-entropy)
 * or predicts numbers (trained by least squares). It is what {@code backprop train --out} writes,
 * {@code train --init @FILE} resumes from and {@code backprop predict --model FILE} uses:
 *
 * <pre>{@code
 * {"inputs": ["x1", "x2"], "targets": ["label"], "classifier": true, "classes": 2,
 *  "params": {"omega0": [[…], …], "beta0": […], …, "omegaK": [[…]], "betaK": […]}, …}
 * }</pre>
 *
 * <p>Ω_k is a list of rows (D_{k+1} lists of D_k numbers), β_k a list of D_{k+1} numbers; a
 * regression model has no {@code "classes"}. Other keys (the command adds {@code loss},
 * {@code steps} and {@code accuracy}) are ignored when reading. Doubles are written so they read
 * back exactly.
 *
 * <pre>{@code
 * NetworkFit.Trained t = NetworkFit.classifier(data, List.of("x1", "x2"), "label", 0).fit(init, adam, schedule);
 * Model m = Model.classifier(t.network(), List.of("x1", "x2"), "label");
 * m.save(Path.of("net.json"));
 * int[] predicted = Model.load(Path.of("net.json")).predictedClasses(newData);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Model {
    private final Network network;
    private final List<String> inputs;
    private final List<String> targets;
    private final int classes;

    private Model(Network network, List<String> inputs, List<String> targets, int classes) {
        this.network = network;
        this.inputs = List.copyOf(inputs);
        this.targets = List.copyOf(targets);
        this.classes = classes;
        if (inputs.size() != network.inputSize()) {
            throw new IllegalArgumentException(inputs.size() + " input columns for a network of " + network.inputSize() + " inputs");
        }
        if (classes == 0 && targets.size() != network.outputSize()) {
            throw new IllegalArgumentException(targets.size() + " target columns for a network of " + network.outputSize() + " outputs");
        }
        if (classes > 0 && (targets.size() != 1 || classes != network.outputSize())) {
            throw new IllegalArgumentException("a classifier has one label column and one output per class; got "
                    + targets.size() + " columns and " + network.outputSize() + " outputs for " + classes + " classes");
        }
        unique(inputs, "input");
        unique(targets, "target");
    }

    private static void unique(List<String> names, String what) {
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("an " + what + " column is named twice: " + names);
        }
    }

    /**
     * A network that predicts the numbers of {@code targets} (one per output) from {@code inputs}.
     *
     * @throws IllegalArgumentException if the counts do not match the network's sizes, or a name repeats
     */
    public static Model regression(Network network, List<String> inputs, List<String> targets) {
        return new Model(network, inputs, targets, 0);
    }

    /**
     * A classifier: its outputs are the scores (logits) of the classes 0 … D_o − 1 of the column
     * {@code labels}, whose softmax gives the probabilities.
     *
     * @throws IllegalArgumentException if the inputs do not match the network's input size
     */
    public static Model classifier(Network network, List<String> inputs, String labels) {
        return new Model(network, inputs, List.of(labels), network.outputSize());
    }

    /** The network. */
    public Network network() {
        return network;
    }

    /** The data columns the network reads, in the order of its inputs. */
    public List<String> inputs() {
        return inputs;
    }

    /** The columns it predicts: one per output, or a classifier's one label column. */
    public List<String> targets() {
        return targets;
    }

    /** Whether the outputs are class scores. */
    public boolean isClassifier() {
        return classes > 0;
    }

    /** A classifier's number of classes; 0 for a regression model. */
    public int classes() {
        return classes;
    }

    // ------------------------------------------------------------------ using it

    /**
     * The input columns of {@code data} as the network takes them: D_i × N, one column per row.
     *
     * @throws IllegalArgumentException naming the missing column and the columns there are
     * @throws DataException            naming the first cell of an input column that is not a number
     */
    public Tensor inputs(Columns data) {
        for (String c : inputs) {
            if (!data.has(c)) {
                throw new IllegalArgumentException("no column '" + c + "' for the network's input (it reads "
                        + String.join(", ", inputs) + "; the data has " + String.join(", ", data.names()) + ")");
            }
        }
        int n = data.rows();
        double[] x = new double[inputs.size() * n];
        for (int i = 0; i < inputs.size(); i++) {
            data.copyTo(inputs.get(i), 0, x, i * n, n);
        }
        return Tensor.of(x, inputs.size(), n);
    }

    /** The network's outputs for every row of {@code data}: D_o × N (a classifier's are logits). */
    public Tensor outputs(Columns data) {
        return network.output(inputs(data));
    }

    /**
     * The softmax of each column of {@code outputs}, computed after subtracting the column's
     * largest value so that large scores do not overflow; a column holding NaN gives NaN.
     */
    public static Tensor softmax(Tensor outputs) {
        int d = outputs.dim(0);
        int n = outputs.dim(1);
        double[] o = outputs.toArray();
        double[] p = new double[o.length];
        for (int j = 0; j < n; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < d; i++) {
                max = Math.max(max, o[i * n + j]);
            }
            double sum = 0;
            for (int i = 0; i < d; i++) {
                double e = Math.exp(o[i * n + j] - max);
                p[i * n + j] = e;
                sum += e;
            }
            for (int i = 0; i < d; i++) {
                p[i * n + j] /= sum;
            }
        }
        return Tensor.of(p, d, n);
    }

    /** Per column of {@code outputs}, the row of its largest value (the first, on a tie), or −1 if it holds NaN. */
    public static int[] argmax(Tensor outputs) {
        int d = outputs.dim(0);
        int n = outputs.dim(1);
        double[] o = outputs.toArray();
        int[] c = new int[n];
        for (int j = 0; j < n; j++) {
            int best = 0;
            for (int i = 0; i < d; i++) {
                double v = o[i * n + j];
                if (Double.isNaN(v)) {
                    best = -1;
                    break;
                }
                if (v > o[best * n + j]) {
                    best = i;
                }
            }
            c[j] = best;
        }
        return c;
    }

    /**
     * A classifier's predicted class for every row of {@code data}: the class of the largest
     * output, −1 for a row whose outputs are NaN (a NaN input).
     *
     * @throws IllegalStateException for a regression model
     */
    public int[] predictedClasses(Columns data) {
        if (!isClassifier()) {
            throw new IllegalStateException("a regression model predicts numbers, not classes");
        }
        return argmax(outputs(data));
    }

    /**
     * The predictions for every row of {@code data}, as named columns: a regression model's are
     * its outputs, named after its targets; a classifier's are the predicted class, named after
     * its label column (NaN where the outputs are NaN), then the probability of each class k,
     * named {@code LABEL_pk}.
     */
    public Map<String, double[]> predict(Columns data) {
        Tensor out = outputs(data);
        int n = out.dim(1);
        double[] o = out.toArray();
        Map<String, double[]> m = new LinkedHashMap<>();
        if (!isClassifier()) {
            for (int i = 0; i < targets.size(); i++) {
                m.put(targets.get(i), java.util.Arrays.copyOfRange(o, i * n, i * n + n));
            }
            return m;
        }
        int[] c = argmax(out);
        double[] label = new double[n];
        for (int j = 0; j < n; j++) {
            label[j] = c[j] < 0 ? Double.NaN : c[j];
        }
        m.put(targets.get(0), label);
        double[] p = softmax(out).toArray();
        for (int k = 0; k < classes; k++) {
            m.put(targets.get(0) + "_p" + k, java.util.Arrays.copyOfRange(p, k * n, k * n + n));
        }
        return m;
    }

    // ------------------------------------------------------------------ the file

    /**
     * The JSON object of the file, to add fields to before writing (keys: {@code inputs},
     * {@code targets}, {@code classifier}, {@code classes} for a classifier, {@code params}).
     * A mutable copy; the values are lists, strings, numbers and {@code double[]}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", inputs);
        m.put("targets", targets);
        m.put("classifier", isClassifier());
        if (isClassifier()) {
            m.put("classes", classes);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (int k = 0; k <= network.layers(); k++) {
            params.put("omega" + k, List.of((Object[]) network.weight(k).toMatrix()));
            params.put("beta" + k, network.bias(k).toArray());
        }
        m.put("params", params);
        return m;
    }

    /** The file's text: {@link #toMap()} as one line of JSON. */
    public String toJson() {
        return JsonWriter.write(toMap());
    }

    /**
     * Writes {@link #toJson()} to {@code file} atomically: to {@code NAME.tmp-PID} beside it,
     * flushed to disk, then renamed over it, so a reader never sees half a file and a failed
     * write leaves the old one.
     */
    public void save(Path file) throws IOException {
        byte[] text = (toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file.toAbsolutePath(), out -> out.write(text));
    }

    /**
     * Reads a model saved by {@link #save} or {@code backprop train --out}.
     *
     * @throws DataException naming the file and what is wrong with it
     */
    public static Model load(Path file) {
        String name = file.toString();
        return fromJson(Limits.readText(file, name), name);
    }

    /**
     * Parses the text of a model file.
     *
     * @param origin what messages call the text (a file name)
     * @throws DataException naming {@code origin} and what is wrong
     */
    public static Model fromJson(String text, String origin) {
        if (!(JsonReader.parse(text, origin) instanceof Map<?, ?> top)) {
            throw new DataException(origin + ": not a saved network: expected a JSON object");
        }
        String hint = " (is it a network saved by backprop train --out?)";
        if (!(top.get("params") instanceof Map<?, ?> params)) {
            throw new DataException(origin + ": not a saved network: no \"params\" object" + hint);
        }
        List<String> in = names(top, "inputs", origin, hint);
        List<String> out = names(top, "targets", origin, hint);
        if (!(top.get("classifier") instanceof Boolean classifier)) {
            throw new DataException(origin + ": \"classifier\" must be true or false" + hint);
        }
        int k = 0;
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        while (params.containsKey("omega" + k)) {
            ws.add(Tensor.matrix(matrix(params.get("omega" + k), origin, "omega" + k)));
            if (!params.containsKey("beta" + k)) {
                throw new DataException(origin + ": \"params\" has omega" + k + " but no beta" + k);
            }
            double[] b = vector(params.get("beta" + k), origin, "beta" + k);
            bs.add(Tensor.of(b, b.length, 1));
            k++;
        }
        if (k == 0) {
            throw new DataException(origin + ": \"params\" has no omega0: not a network" + hint);
        }
        if (params.size() != 2 * k) {
            throw new DataException(origin + ": \"params\" holds " + params.size() + " entries; a network of "
                    + k + " layers has exactly omega0…omega" + (k - 1) + " and beta0…beta" + (k - 1));
        }
        try {
            Network net = new Network(ws, bs);
            if (!classifier) {
                return regression(net, in, out);
            }
            if (!(top.get("classes") instanceof Double c) || c != Math.rint(c) || c != net.outputSize()) {
                throw new DataException(origin + ": a classifier's \"classes\" must be its number of outputs, "
                        + net.outputSize() + "; got " + top.get("classes"));
            }
            if (out.size() != 1) {
                throw new DataException(origin + ": a classifier has one label column in \"targets\", got " + out.size());
            }
            return classifier(net, in, out.get(0));
        } catch (IllegalArgumentException e) {
            throw new DataException(origin + ": " + e.getMessage());
        }
    }

    private static List<String> names(Map<?, ?> top, String key, String origin, String hint) {
        if (!(top.get(key) instanceof List<?> l) || l.isEmpty()) {
            throw new DataException(origin + ": no \"" + key + "\" list of column names" + hint);
        }
        List<String> names = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s) || s.isEmpty()) {
                throw new DataException(origin + ": \"" + key + "\" must hold column names, got " + o);
            }
            names.add(s);
        }
        return names;
    }

    private static double[][] matrix(Object v, String origin, String name) {
        if (!(v instanceof List<?> rows) || rows.isEmpty()) {
            throw new DataException(origin + ": " + name + " must be a list of rows of numbers");
        }
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i), origin, name + " row " + i);
            if (m[i].length != m[0].length) {
                throw new DataException(origin + ": " + name + " row " + i + " has " + m[i].length
                        + " numbers, row 0 has " + m[0].length);
            }
        }
        return m;
    }

    private static double[] vector(Object v, String origin, String name) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            throw new DataException(origin + ": " + name + " must be a list of numbers");
        }
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            if (!(l.get(i) instanceof Double x) || !Double.isFinite(x)) {
                throw new DataException(origin + ": " + name + "[" + i + "] is " + l.get(i) + ", not a finite number");
            }
            d[i] = x;
        }
        return d;
    }
}
