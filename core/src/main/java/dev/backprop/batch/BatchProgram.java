package dev.backprop.batch;

import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.io.Limits;
import dev.backprop.runtime.Workers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A compiled formula evaluated over columns of data. Immutable, thread-safe.
 *
 * <p>Inputs named as columns are bound to arrays of N values (x, y); every other input is a scalar
 * (a parameter, the same at every point). {@link Lowering} compiles the program once into typed
 * instructions ({@link Instr}): a <em>uniform</em> part (what depends on scalars and constants
 * only, computed once per call) and a <em>varying</em> part, which runs over blocks of 512 points
 * so every intermediate stays in cache: a forward pass storing each node's block of values, then a
 * reverse sweep accumulating each node's block of adjoints, and for every uniform node that feeds
 * a varying one the adjoint summed over the block. The sweep's local derivatives are Op's own
 * expression rules instantiated over blocks; after the last block the summed adjoints flow through
 * the uniform part by the program's own reverse sweep ({@link
 * dev.backprop.graph.Evaluation#gradient(double[])}), the one every scalar path uses. The
 * optimisations are {@link Passes}, one each. Blocks are shared out over threads, but each
 * block's sums land in their own place and are added in block order, so with the plain kernel
 * results do not depend on the number of threads at all, and with SIMD only in the last bit.
 *
 * <p>Which kernel runs is decided by the caller or by the work itself, never by what ran before
 * in the process: {@link #withSimd(boolean)} fixes it; {@link #forWork(long)} chooses it for a job
 * of a known total size (a fit: steps × points per step); otherwise each call chooses by its own
 * size, SIMD from {@value #PLAIN_POINTS} points on. The reason for the threshold: the Vector API
 * runs Java fallbacks, tens of times slower than plain loops, until C2 has compiled each kernel.
 * Measured on the toy gradient (one thread, 10⁶ points a call), the first SIMD call took 1.0 s
 * against 0.17 s plain, and from about the eighth call on 12 ms against 60-80 ms. So a short job
 * (a gradient over a file, a small fit) is done sooner on the plain kernel and a long one on SIMD;
 * the switch point is where the plain kernel's cost (16M points, about 0.6 s on two cores) is about
 * the price of the SIMD warm-up (about 1 s). The plain kernel is reproducible bit for bit; SIMD
 * results differ from it within rounding (see the README for what differs in the last bits).
 *
 * <p>Results equal the point-by-point engine's ({@link Program#evaluate(double...)}) summed, within
 * rounding, special values included: every adjoint product is {@link
 * dev.backprop.op.Op#contribution}'s, as there.
 */
public final class BatchProgram {
    /** Points per block: a few hundred KB of intermediates for the toy loss, well inside L2. */
    static final int BLOCK = 512;
    /** The size of work (points) from which the default choice is the SIMD kernel (see above). */
    public static final long PLAIN_POINTS = 16_000_000L;

    private final Program program;
    private final List<String> columns;
    private final List<String> scalars;
    private final int threads;
    /** The kernel fixed by {@link #withSimd(boolean)} or {@link #forWork(long)}, or null: chosen per call. */
    private final Kernel kernel;
    private final Lowering.Compiled code;

    private BatchProgram(BatchProgram o, int threads, Kernel kernel) {
        this.program = o.program;
        this.columns = o.columns;
        this.scalars = o.scalars;
        this.code = o.code;
        this.threads = threads;
        this.kernel = kernel;
    }

    private BatchProgram(Program program, Collection<String> columnNames) {
        this.program = program;
        this.threads = Workers.threads();
        this.kernel = null;
        Set<String> wanted = new HashSet<>(columnNames);
        List<String> cols = new ArrayList<>();
        List<String> scs = new ArrayList<>();
        for (String name : program.inputs()) {
            (wanted.contains(name) ? cols : scs).add(name);
        }
        this.columns = Collections.unmodifiableList(cols);
        this.scalars = Collections.unmodifiableList(scs);
        this.code = Lowering.compile(program, columns, scalars);
    }

    /**
     * Compiles {@code program} for batch evaluation.
     *
     * @param columns the inputs bound to arrays of N values; names that are not inputs are ignored
     */
    public static BatchProgram compile(Program program, Collection<String> columns) {
        return new BatchProgram(program, columns);
    }

    /** The same program run on {@code threads} threads (default: all available processors). */
    public BatchProgram withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new BatchProgram(this, threads, kernel);
    }

    /**
     * The same program with the SIMD kernel always on, or always off (default: chosen by the size
     * of each call, see the class comment). Asking for SIMD without {@code jdk.incubator.vector}
     * leaves the plain kernel.
     */
    public BatchProgram withSimd(boolean simd) {
        return new BatchProgram(this, threads, simd && Kernel.VECTOR != null ? Kernel.VECTOR : Kernel.PLAIN);
    }

    /**
     * The same program with the kernel chosen once for a job of {@code points} point evaluations
     * in all (a fit: steps × points per step), as one call of that size would choose; a kernel
     * fixed by {@link #withSimd(boolean)} stays.
     */
    public BatchProgram forWork(long points) {
        return kernel != null ? this : new BatchProgram(this, threads, choose(points));
    }

    private static Kernel choose(long points) {
        return points >= PLAIN_POINTS && Kernel.VECTOR != null ? Kernel.VECTOR : Kernel.PLAIN;
    }

    /** Whether this program runs, or may run for large work, the SIMD kernel. */
    public boolean simd() {
        return kernel != null ? kernel.simd() : Kernel.VECTOR != null;
    }

    /** The kernel for one call over {@code n} points. */
    private Kernel kernelFor(int n) {
        return kernel != null ? kernel : choose(n);
    }

    /** The number of threads it splits blocks over. */
    public int threads() {
        return threads;
    }

    /** How many sin–cos pairs the value-only run (false) or the gradient run (true) computes in one pass; for tests. */
    int sincosPairs(boolean gradient) {
        List<Instr> all = new ArrayList<>(gradient ? code.forward() : code.valueForward());
        if (gradient) {
            all.addAll(code.backward());
        }
        return (int) all.stream().filter(in -> in instanceof Instr.SinCos).count();
    }

    /** The compiled instructions, one per line, for reading when tuning; s<i> are block slots, u<i> uniforms. */
    String listing(boolean gradient) {
        StringBuilder sb = new StringBuilder("-- uniform\n");
        code.uniform().forEach(in -> sb.append(in.listing()).append('\n'));
        sb.append("-- forward\n");
        (gradient ? code.forward() : code.valueForward()).forEach(in -> sb.append(in.listing()).append('\n'));
        if (gradient) {
            sb.append("-- reverse sweep\n");
            code.backward().forEach(in -> sb.append(in.listing()).append('\n'));
        }
        return sb.toString();
    }

    /** Program inputs bound to columns, in program order. */
    public List<String> columns() {
        return columns;
    }

    /** Program inputs that are not columns, in program order. */
    public List<String> scalars() {
        return scalars;
    }

    /** The program compiled. */
    public Program program() {
        return program;
    }

    /**
     * Sum (and mean) of the output over the N points; no gradient.
     *
     * @throws IllegalArgumentException naming a missing column or scalar, or a name among the
     *         scalar values that is not a scalar input
     */
    public BatchResult value(Columns data, Map<String, Double> scalarValues) {
        double[] r = run(data, scalarValues, false, null);
        int n = data.rows();
        return new BatchResult(n, r[0], r[0] / n, Map.of());
    }

    /**
     * Sum, mean, and the gradient of the SUM with respect to every scalar input.
     *
     * @throws IllegalArgumentException naming a missing column or scalar, or a name among the
     *         scalar values that is not a scalar input
     */
    public BatchResult gradient(Columns data, Map<String, Double> scalarValues) {
        double[] r = run(data, scalarValues, true, null);
        int n = data.rows();
        int out = program.output();
        // The blocks summed each adjoint that crosses from the varying part into the uniform one;
        // from there the program's own reverse sweep (the one every scalar path uses) carries
        // them to the scalar inputs. Columns do not matter to the uniform part: 0 stands in.
        double[] seed = new double[out + 1];
        int[] accumulatorNode = code.accumulatorNode();
        for (int k = 0; k < accumulatorNode.length; k++) {
            seed[accumulatorNode[k]] = r[1 + k];
        }
        if (!code.output().block()) {
            seed[out] = n;
        }
        double[] at = new double[program.inputs().size()];
        for (int k = 0; k < at.length; k++) {
            at[k] = scalarValues.getOrDefault(program.inputs().get(k), 0.0);
        }
        Gradient g = program.evaluate(at).gradient(seed);
        Map<String, Double> grad = new LinkedHashMap<>();
        for (String s : scalars) {
            grad.put(s, g.of(program.inputNode(s)));
        }
        return new BatchResult(n, r[0], r[0] / n, grad);
    }

    /**
     * The output at each point.
     *
     * @throws IllegalArgumentException naming a missing column or scalar, or a name among the
     *         scalar values that is not a scalar input
     */
    public double[] pointValues(Columns data, Map<String, Double> scalarValues) {
        double[] values = new double[data.rows()];
        run(data, scalarValues, false, values);
        return values;
    }

    /**
     * The first row whose value, or derivative with respect to one of {@code wrt}, is NaN or
     * infinite, and the step that made it so: that row re-evaluated by the scalar engine, which
     * knows its steps by name. Empty when every row is finite; row -1 when only the sum is not.
     * Costs a value pass over the data and a scalar evaluation per row up to the one found.
     */
    public java.util.Optional<NonFiniteRow> firstNonFinite(Columns data, Map<String, Double> scalarValues,
                                                            Collection<String> wrt) {
        double[] values = pointValues(data, scalarValues);
        double[][] cols = new double[columns.size()][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = data.column(columns.get(c));
        }
        List<String> inputs = program.inputs();
        double[] point = new double[inputs.size()];
        int[] columnOf = new int[inputs.size()];
        for (int k = 0; k < point.length; k++) {
            columnOf[k] = columns.indexOf(inputs.get(k));
            if (columnOf[k] < 0) {
                point[k] = scalarValues.get(inputs.get(k));
            }
        }
        int[] wrtNodes = wrt.stream().mapToInt(program::inputNode).toArray();
        for (int i = 0; i < values.length; i++) {
            for (int k = 0; k < point.length; k++) {
                if (columnOf[k] >= 0) {
                    point[k] = cols[columnOf[k]][i];
                }
            }
            dev.backprop.graph.Evaluation e = program.evaluate(point);
            if (!Double.isFinite(values[i])) {
                String why = e.firstNonFinite().map(dev.backprop.graph.NonFinite::message).orElse("the value is " + values[i]);
                return java.util.Optional.of(new NonFiniteRow(i, why));
            }
            Gradient g = e.gradient();
            for (int node : wrtNodes) {
                double d = g.of(node);
                if (!Double.isFinite(d)) {
                    String why = g.firstNonFinite().map(dev.backprop.graph.NonFinite::message)
                            .orElse("the derivative with respect to " + program.name(node) + " is " + d);
                    return java.util.Optional.of(new NonFiniteRow(i, why));
                }
            }
        }
        BatchResult r = gradient(data, scalarValues);
        boolean finite = Double.isFinite(r.sum()) && wrt.stream().allMatch(n -> Double.isFinite(r.gradient().getOrDefault(n, 0.0)));
        return finite ? java.util.Optional.empty()
                : java.util.Optional.of(new NonFiniteRow(-1, NonFiniteRow.OVERFLOW));
    }

    private double[] uniforms(Map<String, Double> scalarValues) {
        double[] uni = code.uniformInit().clone();
        int[] scalarUniform = code.scalarUniform();
        for (int k = 0; k < scalars.size(); k++) {
            Double v = scalarValues.get(scalars.get(k));
            if (v == null) {
                refuseUnknown(scalarValues); // a misspelt name is the likelier mistake: name it first
                throw new IllegalArgumentException("missing value for scalar input '" + scalars.get(k) + "'");
            }
            if (scalarUniform[k] >= 0) {
                uni[scalarUniform[k]] = v;
            }
        }
        if (scalarValues.size() > scalars.size()) { // every scalar has its value, so some name is not one
            refuseUnknown(scalarValues);
        }
        for (Instr.Apply in : code.uniform()) {
            in.runUniform(uni);
        }
        return uni;
    }

    /**
     * Refuses a name among {@code scalarValues} that is not a scalar input (a column, or no input
     * at all), which would otherwise be ignored. Only called on the error paths, so a call costs
     * no set of names.
     */
    private void refuseUnknown(Map<String, Double> scalarValues) {
        Set<String> known = new HashSet<>(scalars);
        for (String name : scalarValues.keySet()) {
            if (!known.contains(name)) {
                String what = name == null ? "a null name" : Limits.quote(name);
                throw new IllegalArgumentException(columns.contains(name)
                        ? what + " is bound to a column of the data, so it takes no scalar value"
                        : what + " is not a scalar input (scalar inputs: " + Limits.list(scalars) + ")");
            }
        }
    }

    /** Runs every block; returns the value sum and then each accumulator, reduced in block order. */
    private double[] run(Columns data, Map<String, Double> scalarValues, boolean backward, double[] pointsOut) {
        for (String c : columns) {
            if (!data.has(c)) {
                throw new IllegalArgumentException("missing column '" + c + "' (columns: " + String.join(", ", data.names()) + ")");
            }
        }
        double[] uni = uniforms(scalarValues);
        int n = data.rows();
        Kernel kern = kernelFor(n);
        int blocks = (n + BLOCK - 1) / BLOCK;
        int width = 1 + (backward ? code.accumulatorNode().length : 0);
        double[] partial = new double[blocks * width];
        // Fewer workers than threads for small data: a thread costs more than a few blocks.
        int workers = Math.max(1, Math.min(threads, blocks / 4));
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            // Small batches (mini-batches) get small buffers.
            Frame f = new Frame(kern, code.slots(), Math.max(1, Math.min(BLOCK, n)), uni, partial);
            for (int blk; (blk = next.getAndIncrement()) < blocks; ) {
                runBlock(f, data, blk, width, backward, pointsOut);
            }
        };
        // The caller works too, and blocks are taken from one counter, so a helper that starts
        // late finds little or nothing left and the result never depends on timing.
        Workers.runAll(java.util.Collections.nCopies(workers, work));
        double[] total = new double[width];
        for (int blk = 0; blk < blocks; blk++) {
            for (int k = 0; k < width; k++) {
                total[k] += partial[blk * width + k];
            }
        }
        return total;
    }

    private void runBlock(Frame f, Columns data, int blk, int width, boolean backward, double[] pointsOut) {
        int from = blk * BLOCK;
        int m = Math.min(BLOCK, data.rows() - from);
        f.m = m;
        f.base = blk * width;
        int[] columnSlot = code.columnSlot();
        for (int c = 0; c < columnSlot.length; c++) {
            if (columnSlot[c] >= 0) {
                data.copyTo(columns.get(c), from, f.buf[columnSlot[c]], 0, m);
            }
        }
        for (Instr in : backward ? code.forward() : code.valueForward()) {
            in.run(f);
        }
        Ref out = code.output();
        if (out.block()) {
            f.partial[f.base] = f.kernel.sum(f.buf[out.index()], m);
            if (pointsOut != null) {
                System.arraycopy(f.buf[out.index()], 0, pointsOut, from, m);
            }
        } else {
            double v = f.uni[out.index()];
            f.partial[f.base] = v * m;
            if (pointsOut != null) {
                java.util.Arrays.fill(pointsOut, from, from + m, v);
            }
        }
        if (backward) {
            for (Instr in : code.backward()) {
                in.run(f);
            }
        }
    }
}
