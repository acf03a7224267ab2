package dev.backprop.batch;

import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.op.Algebra;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A compiled formula evaluated over columns of data. Immutable, thread-safe.
 *
 * <p>Inputs named as columns are bound to arrays of N values (x, y); every other input is a scalar
 * (a parameter, the same at every point). The program is split once, at compile time, into the
 * <em>uniform</em> part (nodes that depend on scalars and constants only, computed once per call)
 * and the <em>varying</em> part, which runs over blocks of 512 points so every
 * intermediate stays in cache: a forward pass storing each node's block of values, then a reverse
 * sweep accumulating each node's block of adjoints, and for every uniform node that feeds a varying
 * one the adjoint summed over the block. The sweep's local derivatives are Op's own rules,
 * {@link Op#partial(int, Algebra, Object, Object, Object)}, instantiated once over blocks; after the
 * last block the summed adjoints flow through the uniform part by the program's own reverse sweep
 * ({@link dev.backprop.graph.Evaluation#gradient(double[])}), the one every scalar path uses. Blocks are shared out over threads, but each block's sums land in their own
 * place and are added in block order, so with the plain kernel results do not depend on the number
 * of threads at all, and with SIMD only in the last bit (interpreted and compiled vector code may
 * differ there, in transcendentals and in the order {@code reduceLanes} adds lanes, and which
 * blocks run before the JIT compiles is timing).
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
 * rounding; like it, a step whose adjoint is 0 at a point contributes 0 there even if its local
 * derivative is infinite.
 */
public final class BatchProgram {
    /** Points per block: a few hundred KB of intermediates for the toy loss, well inside L2. */
    static final int BLOCK = 512;
    /** The size of work (points) from which the default choice is the SIMD kernel (see above). */
    public static final long PLAIN_POINTS = 16_000_000L;

    private static final int APPLY = 0;
    private static final int MUL_ADD = 1;
    private static final int DOT = 2;
    /** Two DOTs sharing the adjoint g, in one pass: op = second accumulator, c = its factor. */
    private static final int DOT2 = 3;
    /** Forward only: y = a·b + c, a product feeding a sum (β + ω·h) in one pass; two roundings, as unfused. */
    private static final int AFFINE = 4;
    /**
     * Sine and cosine of one block in one pass: a = the argument, dst = the sine's slot, b = the
     * cosine's. Compiled from a sin and a cos of the same slot anywhere in the program, which is
     * what a derivative gives: ∂sin(u)/∂u = cos(u), ∂cos(u)/∂u = −sin(u).
     */
    private static final int SINCOS = 5;
    /**
     * Reverse sweep: dst = (g·e1)·e2 (c = e2), two adjoint factors in one pass, each product 0
     * where its left side is 0, exactly as the two MUL_ADDs it replaces; the chain's inner
     * adjoint g·e1 is read by nothing else, so it is never stored.
     */
    private static final int MUL2 = 6;
    /** "No slot": the previous adjoint of a first contribution. */
    private static final int NONE = Integer.MIN_VALUE;

    private final Program program;
    private final List<String> columns;
    private final List<String> scalars;
    private final int threads;
    /** The kernel fixed by {@link #withSimd(boolean)}, or null for the default choice. */
    private final Kernel kernel;

    // Uniform part: values indexed by uniform id; constants preset, scalars bound per call.
    private final double[] uniformInit;
    private final int[] scalarUniform;
    private final int[] uOp;
    private final int[] uDst;
    private final int[] uA;
    private final int[] uB;

    // Varying part. A ref r >= 0 is block slot r; r < 0 is uniform id -r-1.
    private final int slots;
    private final int[] columnSlot;
    /** The forward pass when only values are wanted: a sine computes no cosine for a derivative. */
    private final Pass valueForward;
    /** The forward pass of a gradient run, which also computes what the reverse sweep will need of sin and cos. */
    private final Pass forward;
    private final int outputRef;
    private final Pass backward;
    /** Number of uniform nodes that collect adjoints summed over points. */
    private final int accumulators;
    /** For each accumulator, its program node. */
    private final int[] accumulatorNode;

    private BatchProgram(BatchProgram o, int threads, Kernel kernel) {
        this.program = o.program;
        this.columns = o.columns;
        this.scalars = o.scalars;
        this.uniformInit = o.uniformInit;
        this.scalarUniform = o.scalarUniform;
        this.uOp = o.uOp;
        this.uDst = o.uDst;
        this.uA = o.uA;
        this.uB = o.uB;
        this.slots = o.slots;
        this.columnSlot = o.columnSlot;
        this.valueForward = o.valueForward;
        this.forward = o.forward;
        this.outputRef = o.outputRef;
        this.backward = o.backward;
        this.accumulators = o.accumulators;
        this.accumulatorNode = o.accumulatorNode;
        this.threads = threads;
        this.kernel = kernel;
    }

    private BatchProgram(Program program, Collection<String> columnNames) {
        this.program = program;
        this.threads = Runtime.getRuntime().availableProcessors();
        this.kernel = null;
        Set<String> wanted = new HashSet<>(columnNames);
        List<String> cols = new ArrayList<>();
        List<String> scs = new ArrayList<>();
        for (String name : program.inputs()) {
            (wanted.contains(name) ? cols : scs).add(name);
        }
        this.columns = Collections.unmodifiableList(cols);
        this.scalars = Collections.unmodifiableList(scs);

        int out = program.output();
        boolean[] reach = new boolean[out + 1];
        reach[out] = true;
        for (int i = out; i >= 0; i--) {
            if (reach[i] && program.isOperation(i)) {
                reach[program.argument(i, 0)] = true;
                if (program.op(i).arity() == 2) {
                    reach[program.argument(i, 1)] = true;
                }
            }
        }
        Builder u = new Builder();
        int[] ref = new int[out + 1];
        boolean[] dep = new boolean[out + 1];
        java.util.Arrays.fill(ref, Integer.MIN_VALUE);
        // An input only dead statements read gets no slot: -1, never copied or bound (a default of
        // 0 would write its column or value over whatever owns slot or uniform 0).
        int[] colSlots = new int[cols.size()];
        int[] scUni = new int[scs.size()];
        java.util.Arrays.fill(colSlots, -1);
        java.util.Arrays.fill(scUni, -1);
        for (int i = 0; i <= out; i++) {
            if (!reach[i]) {
                continue;
            }
            if (program.isConstant(i)) {
                ref[i] = u.constant(program.constantValue(i));
            } else if (program.isInput(i)) {
                String name = program.name(i);
                int c = cols.indexOf(name);
                if (c >= 0) {
                    ref[i] = u.newSlot();
                    colSlots[c] = ref[i];
                } else {
                    ref[i] = u.newUniform(0, false);
                    scUni[scs.indexOf(name)] = -ref[i] - 1;
                    dep[i] = true;
                }
            } else {
                Op op = program.op(i);
                int a = program.argument(i, 0);
                int b = op.arity() == 2 ? program.argument(i, 1) : -1;
                dep[i] = dep[a] || (b >= 0 && dep[b]);
                ref[i] = u.emit(op, ref[a], b >= 0 ? ref[b] : null, u.forward, false);
            }
        }
        // Reverse sweep, compiled: the adjoint ref of each varying node, filled from the output down.
        int[] adj = new int[out + 1];
        java.util.Arrays.fill(adj, Integer.MIN_VALUE);
        Map<Integer, Integer> acc = new LinkedHashMap<>();
        if (ref[out] >= 0 && dep[out]) {
            adj[out] = u.constant(1);
        }
        for (int i = out; i >= 0; i--) {
            if (adj[i] == Integer.MIN_VALUE || !program.isOperation(i)) {
                continue;
            }
            Op op = program.op(i);
            int a = program.argument(i, 0);
            Integer ra = ref[a];
            Integer rb = op.arity() == 2 ? ref[program.argument(i, 1)] : null;
            for (int k = 0; k < op.arity(); k++) {
                int arg = program.argument(i, k);
                if (!dep[arg]) {
                    continue;
                }
                int e = op.partial(k, u, ra, rb, ref[i]);
                if (ref[arg] >= 0) {
                    // Adjoints are single-assignment: a contribution writes a new slot (old + g·e),
                    // so a contribution that is just g or e (a factor 1) can share its slot.
                    int prev = adj[arg];
                    int plain = u.isOne(e) ? adj[i] : u.isOne(adj[i]) ? e : Integer.MIN_VALUE;
                    if (prev == Integer.MIN_VALUE && plain >= 0) {
                        adj[arg] = plain;
                    } else {
                        adj[arg] = u.newSlot();
                        u.backward(MUL_ADD, prev == Integer.MIN_VALUE ? NONE : prev, adj[arg], adj[i], e);
                    }
                } else {
                    Integer slot = acc.computeIfAbsent(arg, x -> acc.size());
                    u.backward(DOT, 0, slot, adj[i], e);
                }
            }
        }
        this.accumulators = acc.size();
        this.accumulatorNode = acc.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.scalarUniform = scUni;
        this.slots = u.slots;
        this.columnSlot = colSlots;
        u.fuseAffine(ref[out]);
        u.fuseDots();
        this.outputRef = ref[out];
        this.valueForward = new Pass(pairSinCos(List.of(u.forward.rows)).get(0));
        List<List<int[]>> paired = pairSinCos(List.of(u.forward.rows, u.backward.rows));
        u.fuseChains(paired, ref[out]);
        this.forward = new Pass(paired.get(0));
        this.backward = new Pass(paired.get(1));
        // Last: fusing chains may have added uniform instructions (a sign moved onto a scalar).
        this.uniformInit = u.uniformValues();
        this.uOp = u.uniform.column(0);
        this.uDst = u.uniform.column(1);
        this.uA = u.uniform.column(2);
        this.uB = u.uniform.column(3);
    }

    /** One pass's instructions as columns: kind, op, dst, a, b, c (see the kinds above). */
    private static final class Pass {
        final int[] kind;
        final int[] op;
        final int[] dst;
        final int[] a;
        final int[] b;
        final int[] c;

        Pass(List<int[]> rows) {
            int n = rows.size();
            kind = new int[n];
            op = new int[n];
            dst = new int[n];
            a = new int[n];
            b = new int[n];
            c = new int[n];
            for (int j = 0; j < n; j++) {
                int[] r = rows.get(j);
                kind[j] = r[0];
                op[j] = r[1];
                dst[j] = r[2];
                a[j] = r[3];
                b[j] = r[4];
                c[j] = r[5];
            }
        }
    }

    /**
     * Pairs the first sin and the first cos of each block slot, wherever they are in the passes
     * (run in order), into one {@link #SINCOS} at the earlier one's place: the slot is computed by
     * then, and the later one's result is single-assignment and read only after its old place.
     */
    private static List<List<int[]>> pairSinCos(List<List<int[]>> passes) {
        Map<Integer, int[]> sin = new HashMap<>();
        Map<Integer, int[]> cos = new HashMap<>();
        for (int p = 0; p < passes.size(); p++) {
            List<int[]> rows = passes.get(p);
            for (int j = 0; j < rows.size(); j++) {
                int[] r = rows.get(j);
                if (r[0] == APPLY && r[3] >= 0 && (r[1] == Op.SIN.ordinal() || r[1] == Op.COS.ordinal())) {
                    (r[1] == Op.SIN.ordinal() ? sin : cos).putIfAbsent(r[3], new int[] {p, j});
                }
            }
        }
        List<List<int[]>> out = new ArrayList<>();
        for (List<int[]> rows : passes) {
            out.add(new ArrayList<>(rows));
        }
        for (Map.Entry<Integer, int[]> e : sin.entrySet()) {
            int[] at = e.getValue();
            int[] other = cos.get(e.getKey());
            if (other == null) {
                continue;
            }
            boolean sinFirst = at[0] < other[0] || (at[0] == other[0] && at[1] < other[1]);
            int[] first = sinFirst ? at : other;
            int[] later = sinFirst ? other : at;
            int sinDst = passes.get(at[0]).get(at[1])[2];
            int cosDst = passes.get(other[0]).get(other[1])[2];
            out.get(first[0]).set(first[1], new int[] {SINCOS, 0, sinDst, e.getKey(), cosDst, 0});
            out.get(later[0]).set(later[1], null);
        }
        for (List<int[]> rows : out) {
            rows.removeIf(java.util.Objects::isNull);
        }
        return out;
    }

    /** Rows of int instructions, growable. */
    private static final class Code {
        private final int width;
        final List<int[]> rows = new ArrayList<>();

        Code(int width) {
            this.width = width;
        }

        void add(int... row) {
            rows.add(java.util.Arrays.copyOf(row, width));
        }

        int[] column(int c) {
            int[] r = new int[rows.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = rows.get(i)[c];
            }
            return r;
        }
    }

    /**
     * Emits code while Op's symbolic rules build the local derivatives: an operation on uniform refs
     * becomes a uniform instruction (or a constant, folded), one on a block becomes a block
     * instruction in the forward or backward code. Refs are ints as described at the fields.
     */
    private static final class Builder implements Algebra<Integer> {
        final Code uniform = new Code(4);
        final Code forward = new Code(6);
        final Code backward = new Code(6);
        final List<Double> uniformValue = new ArrayList<>();
        final List<Boolean> uniformConstant = new ArrayList<>();
        final Map<Long, Integer> constants = new HashMap<>();
        int slots;

        int newSlot() {
            return slots++;
        }

        int newUniform(double value, boolean constant) {
            uniformValue.add(value);
            uniformConstant.add(constant);
            return -uniformValue.size();
        }

        double[] uniformValues() {
            return uniformValue.stream().mapToDouble(Double::doubleValue).toArray();
        }

        boolean isOne(int r) {
            return isConstant(r) && value(r) == 1;
        }

        private boolean isConstant(Integer r) {
            return r < 0 && uniformConstant.get(-r - 1);
        }

        private double value(Integer r) {
            return uniformValue.get(-r - 1);
        }

        @Override
        public Integer constant(double value) {
            return constants.computeIfAbsent(Double.doubleToRawLongBits(value), k -> newUniform(value, true));
        }

        @Override
        public Integer apply(Op op, Integer a, Integer b) {
            return emit(op, a, b, backward, true);
        }

        void backward(int kind, int op, int dst, int a, int b) {
            backward.add(kind, op, dst, a, b);
        }

        /**
         * Merges a product whose only reader is the next instruction, a sum, into one pass
         * {@code a·b + c}, the shape of every layer {@code β + ω·h}. The product's slot is then
         * never written; the values are those of the two steps (no fused multiply-add).
         */
        void fuseAffine(int output) {
            int[] uses = uses(List.of(forward.rows, backward.rows), output);
            List<int[]> rows = forward.rows;
            List<int[]> fused = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                int[] r = rows.get(j);
                int[] next = j + 1 < rows.size() ? rows.get(j + 1) : null;
                if (next != null && r[1] == Op.MUL.ordinal() && next[1] == Op.ADD.ordinal() && uses[r[2]] == 1
                        && (next[3] == r[2]) != (next[4] == r[2])) {
                    int c = next[3] == r[2] ? next[4] : next[3];
                    fused.add(new int[] {AFFINE, 0, next[2], r[3], r[4], c});
                    j++;
                } else {
                    fused.add(r);
                }
            }
            rows.clear();
            rows.addAll(fused);
        }

        private static void count(int[] uses, int ref) {
            if (ref >= 0 && ref < uses.length) {
                uses[ref]++;
            }
        }

        /**
         * Merges two adjoint products in a row, d = g·e1 then d' = d·e2, into one {@link #MUL2}
         * when nothing else reads d and e2 is a block: the chain ∂f/∂h = g·ω·φ'(h) of every
         * layer {@code f = β + ω·φ(h)}. A factor that is a negated block read only here, with a
         * scalar other factor, gives its sign to that scalar ((g·ω)·(−s) and (g·(−ω))·s are the
         * same double): cos's derivative −sin then costs no pass of its own.
         */
        void fuseChains(List<List<int[]>> passes, int output) {
            List<int[]> rows = passes.get(1);
            int[] uses = uses(passes, output);
            Map<Integer, int[]> negOf = new HashMap<>();
            for (int[] r : rows) {
                if (r[0] == APPLY && r[1] == Op.NEG.ordinal() && r[3] >= 0) {
                    negOf.put(r[2], r);
                }
            }
            List<int[]> fused = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                int[] r = rows.get(j);
                // The negation of the second factor, if any, sits between the two products.
                int[] between = j + 2 < rows.size() && negOf.containsKey(rows.get(j + 1)[2]) ? rows.get(j + 1) : null;
                int at = between == null ? j + 1 : j + 2;
                int[] next = at < rows.size() ? rows.get(at) : null;
                if (next == null || r[0] != MUL_ADD || next[0] != MUL_ADD || r[1] != NONE || next[1] != NONE
                        || next[3] != r[2] || uses[r[2]] != 1 || r[3] < 0 || next[4] < 0) {
                    fused.add(r);
                    continue;
                }
                int e1 = r[4];
                int e2 = next[4];
                if (between != null && between[2] == e2 && uses[e2] == 1 && e1 < 0) {
                    e1 = apply(Op.NEG, e1, null);
                    e2 = between[3];
                } else if (between != null) {
                    fused.add(between);
                }
                fused.add(new int[] {MUL2, 0, next[2], r[3], e1, e2});
                j = at;
            }
            rows.clear();
            rows.addAll(fused);
        }

        /** How many instructions (and the output) read each block slot. */
        int[] uses(List<List<int[]>> passes, int output) {
            int[] uses = new int[slots];
            for (List<int[]> rows : passes) {
                for (int[] r : rows) {
                    switch (r[0]) {
                        case APPLY -> {
                            count(uses, r[3]);
                            if (Op.ofOrdinal(r[1]).arity() == 2) {
                                count(uses, r[4]);
                            }
                        }
                        case SINCOS -> count(uses, r[3]);
                        case MUL_ADD -> {
                            count(uses, r[1]);
                            count(uses, r[3]);
                            count(uses, r[4]);
                        }
                        case DOT -> {
                            count(uses, r[3]);
                            count(uses, r[4]);
                        }
                        default -> { // AFFINE, DOT2, MUL2: three operands
                            count(uses, r[3]);
                            count(uses, r[4]);
                            count(uses, r[5]);
                        }
                    }
                }
            }
            count(uses, output);
            return uses;
        }

        /**
         * Merges each run of two DOTs with the same adjoint (a sum {@code β + ω·h} gives ∂/∂β and
         * ∂/∂ω from one g) into one pass over g. Each sum still adds its terms in the same order.
         */
        void fuseDots() {
            List<int[]> rows = backward.rows;
            List<int[]> fused = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                int[] r = rows.get(j);
                int[] next = j + 1 < rows.size() ? rows.get(j + 1) : null;
                if (r[0] == DOT && next != null && next[0] == DOT && next[3] == r[3] && r[3] >= 0) {
                    fused.add(new int[] {DOT2, next[2], r[2], r[3], r[4], next[4]});
                    j++;
                } else {
                    fused.add(r);
                }
            }
            rows.clear();
            rows.addAll(fused);
        }

        int emit(Op op, Integer a, Integer b, Code code, boolean simplify) {
            boolean unary = op.arity() == 1;
            int bb = unary ? 0 : b;
            boolean uniformArgs = a < 0 && (unary || bb < 0);
            if (uniformArgs && isConstant(a) && (unary || isConstant(bb))) {
                return constant(op.apply(value(a), unary ? 0 : value(bb)));
            }
            if (simplify && op == Op.POW && isConstant(bb) && value(bb) == 1) {
                return a; // Math.pow(a, 1) is a, by its specification
            }
            if (simplify && op == Op.MUL) {
                // Only the exact identity 1·x = x; 0·x is not 0 when x is infinite.
                if (isConstant(a) && value(a) == 1) {
                    return bb;
                }
                if (isConstant(bb) && value(bb) == 1) {
                    return a;
                }
            }
            if (uniformArgs) {
                int r = newUniform(0, false);
                uniform.add(op.ordinal(), -r - 1, -a - 1, unary ? 0 : -bb - 1);
                return r;
            }
            int r = newSlot();
            code.add(APPLY, op.ordinal(), r, a, bb);
            return r;
        }
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
        int pairs = 0;
        for (Pass pass : gradient ? List.of(forward, backward) : List.of(valueForward)) {
            for (int kind : pass.kind) {
                pairs += kind == SINCOS ? 1 : 0;
            }
        }
        return pairs;
    }

    /** The compiled instructions, one per line, for reading when tuning; refs r ≥ 0 are block slots, u-k uniform ids. */
    String listing(boolean gradient) {
        StringBuilder sb = new StringBuilder();
        String[] kinds = {"apply", "mul_add", "dot", "dot2", "affine", "sincos", "mul2"};
        for (Pass pass : gradient ? List.of(forward, backward) : List.of(valueForward)) {
            sb.append(pass == backward ? "-- reverse sweep\n" : "-- forward\n");
            for (int j = 0; j < pass.kind.length; j++) {
                int k = pass.kind[j];
                // DOT and DOT2 write accumulators (sums over the block), not slots; MUL_ADD's op is the previous adjoint.
                boolean sums = k == DOT || k == DOT2;
                sb.append(kinds[k]).append(k == APPLY ? " " + Op.ofOrdinal(pass.op[j]).name().toLowerCase() : "")
                        .append(" dst=").append(sums ? "acc" + pass.dst[j] : ref(pass.dst[j]))
                        .append(" a=").append(ref(pass.a[j])).append(" b=").append(ref(pass.b[j]))
                        .append(" c=").append(ref(pass.c[j]))
                        .append(k == DOT2 ? " acc=acc" + pass.op[j] : k == MUL_ADD ? " prev=" + ref(pass.op[j]) : "")
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String ref(int r) {
        return r == NONE ? "-" : r >= 0 ? "s" + r : "u" + (-r - 1);
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
     * @throws IllegalArgumentException naming a missing column or scalar
     */
    public BatchResult value(Columns data, Map<String, Double> scalarValues) {
        double[] r = run(data, scalarValues, false, null);
        int n = data.rows();
        return new BatchResult(n, r[0], r[0] / n, Map.of());
    }

    /**
     * Sum, mean, and the gradient of the SUM with respect to every scalar input.
     *
     * @throws IllegalArgumentException naming a missing column or scalar
     */
    public BatchResult gradient(Columns data, Map<String, Double> scalarValues) {
        double[] r = run(data, scalarValues, true, null);
        int n = data.rows();
        int out = program.output();
        // The blocks summed each adjoint that crosses from the varying part into the uniform one;
        // from there the program's own reverse sweep (the one every scalar path uses) carries
        // them to the scalar inputs. Columns do not matter to the uniform part: 0 stands in.
        double[] seed = new double[out + 1];
        for (int k = 0; k < accumulators; k++) {
            seed[accumulatorNode[k]] = r[1 + k];
        }
        if (outputRef < 0) {
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
     * @throws IllegalArgumentException naming a missing column or scalar
     */
    public double[] pointValues(Columns data, Map<String, Double> scalarValues) {
        double[] values = new double[data.rows()];
        run(data, scalarValues, false, values);
        return values;
    }

    private double[] uniforms(Map<String, Double> scalarValues) {
        double[] uni = uniformInit.clone();
        for (int k = 0; k < scalars.size(); k++) {
            Double v = scalarValues.get(scalars.get(k));
            if (v == null) {
                throw new IllegalArgumentException("missing value for scalar input '" + scalars.get(k) + "'");
            }
            if (scalarUniform[k] >= 0) {
                uni[scalarUniform[k]] = v;
            }
        }
        for (int j = 0; j < uOp.length; j++) {
            Op op = Op.ofOrdinal(uOp[j]);
            uni[uDst[j]] = op.apply(uni[uA[j]], op.arity() == 2 ? uni[uB[j]] : 0);
        }
        return uni;
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
        int width = 1 + (backward ? accumulators : 0);
        double[] partial = new double[blocks * width];
        // Fewer workers than threads for small data: a thread costs more than a few blocks.
        int workers = Math.max(1, Math.min(threads, blocks / 4));
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            // Small batches (mini-batches) get small buffers; the last row is scratch for two sums.
            double[][] buf = new double[slots + 1][Math.max(2, Math.min(BLOCK, n))];
            for (int blk; (blk = next.getAndIncrement()) < blocks; ) {
                runBlock(kern, data, uni, buf, blk, backward, partial, width, pointsOut);
            }
        };
        if (workers == 1) {
            work.run();
        } else {
            // Helpers come from the common fork-join pool: starting fresh threads cost ~100 µs a
            // call, more than the whole sum over a few thousand points (a fit's every step).
            // The caller works too, and blocks are taken from one counter, so a helper that
            // starts late finds little or nothing left and the result never depends on timing.
            ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[workers - 1];
            for (int t = 0; t < helpers.length; t++) {
                helpers[t] = ForkJoinPool.commonPool().submit(work);
            }
            work.run();
            for (ForkJoinTask<?> h : helpers) {
                h.join(); // rethrows a helper's RuntimeException or Error
            }
        }
        double[] total = new double[width];
        for (int blk = 0; blk < blocks; blk++) {
            for (int k = 0; k < width; k++) {
                total[k] += partial[blk * width + k];
            }
        }
        return total;
    }

    private void runBlock(Kernel k, Columns data, double[] uni, double[][] buf, int blk, boolean backward,
                          double[] partial, int width, double[] pointsOut) {
        int from = blk * BLOCK;
        int m = Math.min(BLOCK, data.rows() - from);
        for (int c = 0; c < columnSlot.length; c++) {
            if (columnSlot[c] >= 0) {
                data.copyTo(columns.get(c), from, buf[columnSlot[c]], 0, m);
            }
        }
        Pass f = backward ? forward : valueForward;
        for (int j = 0; j < f.kind.length; j++) {
            int a = f.a[j];
            int b = f.b[j];
            switch (f.kind[j]) {
                case AFFINE -> {
                    int c = f.c[j];
                    k.affine(buf[f.dst[j]], a >= 0 ? buf[a] : null, a >= 0 ? 0 : uni[-a - 1],
                            b >= 0 ? buf[b] : null, b >= 0 ? 0 : uni[-b - 1],
                            c >= 0 ? buf[c] : null, c >= 0 ? 0 : uni[-c - 1], m);
                }
                case SINCOS -> k.sincos(buf[f.dst[j]], buf[b], buf[a], m);
                default -> apply(k, Op.ofOrdinal(f.op[j]), buf, uni, f.dst[j], a, b, m);
            }
        }
        int base = blk * width;
        if (outputRef >= 0) {
            partial[base] = k.sum(buf[outputRef], m);
            if (pointsOut != null) {
                System.arraycopy(buf[outputRef], 0, pointsOut, from, m);
            }
        } else {
            double v = uni[-outputRef - 1];
            partial[base] = v * m;
            if (pointsOut != null) {
                java.util.Arrays.fill(pointsOut, from, from + m, v);
            }
        }
        if (!backward) {
            return;
        }
        double[] two = buf[slots];
        Pass r = this.backward;
        int[] bOp = r.op;
        int[] bDst = r.dst;
        for (int j = 0; j < r.kind.length; j++) {
            int a = r.a[j];
            int b = r.b[j];
            switch (r.kind[j]) {
                case APPLY -> apply(k, Op.ofOrdinal(bOp[j]), buf, uni, bDst[j], a, b, m);
                case SINCOS -> k.sincos(buf[bDst[j]], buf[b], buf[a], m);
                case MUL2 -> k.mul2(buf[bDst[j]], buf[a], b >= 0 ? buf[b] : null, b >= 0 ? 0 : uni[-b - 1], buf[r.c[j]], m);
                case MUL_ADD -> k.mulAdd(buf[bDst[j]], bOp[j] == NONE ? null : buf[bOp[j]],
                        a >= 0 ? buf[a] : null, a >= 0 ? 0 : uni[-a - 1],
                        b >= 0 ? buf[b] : null, b >= 0 ? 0 : uni[-b - 1], m);
                case DOT2 -> {
                    int c = r.c[j];
                    k.dot2(buf[a], b >= 0 ? buf[b] : null, b >= 0 ? 0 : uni[-b - 1],
                            c >= 0 ? buf[c] : null, c >= 0 ? 0 : uni[-c - 1], m, two);
                    partial[base + 1 + bDst[j]] += two[0];
                    partial[base + 1 + bOp[j]] += two[1];
                }
                default -> partial[base + 1 + bDst[j]] += k.dot(
                        a >= 0 ? buf[a] : null, a >= 0 ? 0 : uni[-a - 1],
                        b >= 0 ? buf[b] : null, b >= 0 ? 0 : uni[-b - 1], m);
            }
        }
    }

    private static void apply(Kernel k, Op op, double[][] buf, double[] uni, int dst, int a, int b, int m) {
        k.apply(op, buf[dst],
                a >= 0 ? buf[a] : null, a >= 0 ? 0 : uni[-a - 1],
                op.arity() == 2 && b >= 0 ? buf[b] : null, op.arity() == 2 && b < 0 ? uni[-b - 1] : 0, m);
    }
}
