package dev.backprop.batch;

import dev.backprop.batch.Instr.Apply;
import dev.backprop.batch.Instr.DivAdd;
import dev.backprop.batch.Instr.Dot;
import dev.backprop.batch.Instr.DotDiv;
import dev.backprop.batch.Instr.MulAdd;
import dev.backprop.graph.Program;
import dev.backprop.op.Algebra;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch compiler: lowers a {@link Program} to instructions, then runs {@link Passes}.
 *
 * <p>Lowering: each node the output reads becomes a uniform (constants, scalar inputs, and what
 * depends on nothing else) or a block slot (columns, and what depends on one). A uniform operation
 * is one {@link Apply} per call; a block operation a loop over the block in the forward pass. The
 * reverse sweep is compiled the same way, from the output down: each primitive's local derivative
 * is {@link Op}'s own expression rule built over refs by this class (an {@link Algebra}), so no
 * rule is written twice; an adjoint flowing into a block slot is a {@link MulAdd}, into a uniform
 * a {@link Dot} summed over the block into an accumulator, which the program's scalar sweep then
 * carries the rest of the way (see {@link BatchProgram#gradient}). A {@link CustomFunction}'s
 * local derivative is its own expression rule, or, for numeric partials, an {@link Apply} of the
 * partial's own function; custom functions run by {@link Apply}'s plain loop.
 *
 * <p>Then the passes, in order: {@link Passes#fuseAffine} and {@link Passes#fuseContributionSums}
 * (forward), {@link Passes#fuseDots}, {@link
 * Passes#pairSinCos} (once for the value-only forward pass, once across the gradient's two),
 * {@link Passes#fuseChains}.
 */
final class Lowering implements Algebra<Ref> {

    /**
     * A compiled program: everything {@link BatchProgram} runs.
     *
     * @param uniformInit      the uniforms' starting values (constants set, the rest 0)
     * @param uniform          uniform instructions, run once per call in order
     * @param scalarUniform    for each scalar input, its uniform's index, or -1 if only dead statements read it
     * @param columnSlot       for each column input, its block slot, or -1 if only dead statements read it
     * @param slots            how many block slots
     * @param valueForward     the forward pass when only values are wanted (a sine computes no cosine)
     * @param forward          the forward pass of a gradient run
     * @param backward         the reverse sweep over blocks
     * @param output           where the output is
     * @param accumulatorNode  for each accumulator, the program node whose adjoint it sums
     */
    record Compiled(double[] uniformInit, List<Apply> uniform, int[] scalarUniform, int[] columnSlot, int slots,
                    List<Instr> valueForward, List<Instr> forward, List<Instr> backward, Ref output,
                    int[] accumulatorNode) {
    }

    private final List<Apply> uniform = new ArrayList<>();
    private final List<Instr> forward = new ArrayList<>();
    private final List<Instr> backward = new ArrayList<>();
    private final List<Double> uniformValue = new ArrayList<>();
    private final List<Boolean> uniformConstant = new ArrayList<>();
    private final Map<Long, Ref> constants = new HashMap<>();
    /** Every operation emitted so far, by what it computes: see {@link #emit}. */
    private final Map<Computation, Ref> emitted = new HashMap<>();
    private int slots;

    private Lowering() {
    }

    static Compiled compile(Program program, List<String> columns, List<String> scalars) {
        return new Lowering().lower(program, columns, scalars);
    }

    private Compiled lower(Program program, List<String> columns, List<String> scalars) {
        int out = program.output();
        boolean[] reach = reachable(program);
        int[][] readers = readers(program, reach);
        Map<String, Integer> columnIndex = index(columns);
        Map<String, Integer> scalarIndex = index(scalars);
        Ref[] ref = new Ref[out + 1];
        // Whether a node depends on a scalar input: only those have adjoints worth computing.
        boolean[] dep = new boolean[out + 1];
        int[] columnSlot = new int[columns.size()];
        int[] scalarUniform = new int[scalars.size()];
        Arrays.fill(columnSlot, -1);
        Arrays.fill(scalarUniform, -1);
        for (int i = 0; i <= out; i++) {
            if (!reach[i]) {
                continue;
            }
            if (program.isConstant(i)) {
                ref[i] = constant(program.constantValue(i));
            } else if (program.isInput(i)) {
                Integer c = columnIndex.get(program.name(i));
                if (c != null) {
                    ref[i] = newSlot();
                    columnSlot[c] = ref[i].index();
                } else {
                    ref[i] = newUniform(0, false);
                    scalarUniform[scalarIndex.get(program.name(i))] = ref[i].index();
                    dep[i] = true;
                }
            } else {
                Rule op = program.rule(i);
                List<Ref> args = new ArrayList<>();
                for (int k = 0; k < program.arity(i); k++) {
                    int a = program.argument(i, k);
                    dep[i] |= dep[a];
                    args.add(ref[a]);
                }
                Ref unit = op == Op.CONTRIBUTION ? unitFactor(program, readers, i, args) : null;
                ref[i] = unit != null ? unit : emit(op, args, forward, false);
            }
        }
        List<Integer> accumulatorNodes = sweep(program, ref, dep);
        int[] uses = Passes.uses(List.of(forward, backward), ref[out], slots);
        List<Instr> fwd = forwardPasses(forward, uses);
        List<Instr> bwd = Passes.fuseDots(backward);
        // A run for values alone has no reverse sweep to keep intermediates for, so it may fuse
        // more: a forward-mode tangent's products, which the sweep of a gradient run reads.
        List<Instr> valueForward = Passes.pairSinCos(List.of(
                forwardPasses(forward, Passes.uses(List.of(forward), ref[out], slots)))).get(0);
        List<List<Instr>> paired = Passes.pairSinCos(List.of(fwd, bwd));
        int[] pairedUses = Passes.uses(paired, ref[out], slots);
        List<Instr> chained = Passes.fuseChains(paired.get(1), pairedUses, e -> apply(Op.NEG, e));
        // Last: fusing chains may have added uniform instructions (a sign moved onto a scalar).
        double[] init = uniformValue.stream().mapToDouble(Double::doubleValue).toArray();
        return new Compiled(init, List.copyOf(uniform), scalarUniform, columnSlot, slots,
                List.copyOf(valueForward), List.copyOf(paired.get(0)), List.copyOf(chained), ref[out],
                accumulatorNodes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The forward list's fusions, given how many instructions read each slot. */
    private List<Instr> forwardPasses(List<Instr> forward, int[] uses) {
        return Passes.fuseLinear(Passes.fuseContributionSums(Passes.fuseAffine(forward, uses), uses), uses,
                e -> apply(Op.NEG, e));
    }

    /**
     * The reverse sweep, compiled: the adjoint ref of each node that depends on a scalar, filled
     * from the output down. Returns the nodes that accumulators stand for, in accumulator order.
     */
    private List<Integer> sweep(Program program, Ref[] ref, boolean[] dep) {
        int out = program.output();
        Ref[] adj = new Ref[out + 1];
        Map<Integer, Integer> acc = new LinkedHashMap<>();
        if (ref[out].block() && dep[out]) {
            adj[out] = constant(1);
        }
        for (int i = out; i >= 0; i--) {
            if (adj[i] == null || !program.isOperation(i)) {
                continue;
            }
            Rule op = program.rule(i);
            List<Ref> x = new ArrayList<>();
            for (int k = 0; k < program.arity(i); k++) {
                x.add(ref[program.argument(i, k)]);
            }
            for (int k = 0; k < x.size(); k++) {
                int arg = program.argument(i, k);
                if (!dep[arg]) {
                    continue;
                }
                if (op.quotient(k)) {
                    // Numerator first, denominator last, as Op.vjp: (g·n)/d stays finite where n/d overflows.
                    Ref num = op.numerator(k, this, x, ref[i]);
                    Ref den = op.denominator(k, this, x, ref[i]);
                    Ref t = adj[i];
                    if (!isOne(num)) {
                        t = newSlot();
                        backward.add(new MulAdd(t, null, adj[i], num));
                    }
                    if (ref[arg].block()) {
                        Ref prev = adj[arg];
                        adj[arg] = newSlot();
                        backward.add(new DivAdd(adj[arg], prev, t, den));
                    } else {
                        backward.add(new DotDiv(acc.computeIfAbsent(arg, z -> acc.size()), t, den));
                    }
                    continue;
                }
                Ref e = op.partial(k, this, x, ref[i]);
                if (ref[arg].block()) {
                    // Adjoints are single-assignment: a contribution writes a new slot (old + g·e),
                    // so a first contribution that is just g or e (a factor 1) can share its slot.
                    Ref prev = adj[arg];
                    Ref plain = isOne(e) ? adj[i] : isOne(adj[i]) ? e : null;
                    if (prev == null && plain != null && plain.block()) {
                        adj[arg] = plain;
                    } else {
                        adj[arg] = newSlot();
                        backward.add(new MulAdd(adj[arg], prev, adj[i], e));
                    }
                } else {
                    int slot = acc.computeIfAbsent(arg, z -> acc.size());
                    backward.add(new Dot(slot, adj[i], e));
                }
            }
        }
        return new ArrayList<>(acc.keySet());
    }

    /**
     * For a recorded contribution {@code g·1} (or {@code 1·g}), {@code g} itself when that is
     * exact where it is read, else null. {@link Op#contribution}(g, 1) is g except that it makes −0
     * into +0, so reading g instead changes nothing where the sign of a zero is lost anyway: in
     * another contribution (a zero factor gives +0 whatever its sign) and in a sum with a constant
     * other than −0 (c + (−0) = c + (+0) for every such c). A recorded forward-mode sweep is full of
     * these: every sum's tangent is its arguments' tangents times the partial 1.
     */
    private Ref unitFactor(Program program, int[][] readers, int i, List<Ref> args) {
        Ref g = isOne(args.get(1)) ? args.get(0) : isOne(args.get(0)) ? args.get(1) : null;
        if (g == null || i == program.output()) {
            return null;
        }
        for (int j : readers[i]) {
            Op op = program.op(j);
            if (op == Op.CONTRIBUTION) {
                continue;
            }
            if (op != Op.ADD || program.arity(j) != 2) {
                return null;
            }
            int other = program.argument(j, program.argument(j, 0) == i ? 1 : 0);
            if (other == i || !program.isConstant(other)
                    || Double.doubleToRawLongBits(program.constantValue(other)) == Double.doubleToRawLongBits(-0.0)) {
                return null;
            }
        }
        return g;
    }

    /** For each reachable node, the reachable operations that read it (once each). */
    private static int[][] readers(Program program, boolean[] reach) {
        int out = program.output();
        List<List<Integer>> r = new ArrayList<>();
        for (int i = 0; i <= out; i++) {
            r.add(new ArrayList<>());
        }
        for (int j = 0; j <= out; j++) {
            if (reach[j] && program.isOperation(j)) {
                for (int k = 0; k < program.arity(j); k++) {
                    List<Integer> of = r.get(program.argument(j, k));
                    if (of.isEmpty() || of.get(of.size() - 1) != j) {
                        of.add(j);
                    }
                }
            }
        }
        return r.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    private static boolean[] reachable(Program program) {
        int out = program.output();
        boolean[] reach = new boolean[out + 1];
        reach[out] = true;
        for (int i = out; i >= 0; i--) {
            if (reach[i] && program.isOperation(i)) {
                for (int k = 0; k < program.arity(i); k++) {
                    reach[program.argument(i, k)] = true;
                }
            }
        }
        return reach;
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }

    private Ref newSlot() {
        return Ref.slot(slots++);
    }

    private Ref newUniform(double value, boolean constant) {
        uniformValue.add(value);
        uniformConstant.add(constant);
        return Ref.uniform(uniformValue.size() - 1);
    }

    private boolean isConstant(Ref r) {
        return !r.block() && uniformConstant.get(r.index());
    }

    private double value(Ref r) {
        return uniformValue.get(r.index());
    }

    private boolean isOne(Ref r) {
        return isConstant(r) && value(r) == 1;
    }

    @Override
    public Ref constant(double value) {
        return constants.computeIfAbsent(Double.doubleToRawLongBits(value), k -> newUniform(value, true));
    }

    /** A derivative rule's operation: into the reverse sweep's code, simplified. */
    @Override
    public Ref apply(Op op, Ref a, Ref b) {
        return emit(op, b == null || op.unary() ? List.of(a) : List.of(a, b), backward, true);
    }

    @Override
    public Ref apply(Op op, List<Ref> args) {
        return emit(op, args, backward, true);
    }

    /** A custom function in a derivative rule (a numeric partial's function, or one a formula partial calls). */
    @Override
    public Ref call(CustomFunction f, List<Ref> args) {
        return emit(f, args, backward, true);
    }

    /** An operation and its operands: two equal ones compute the same values. */
    private record Computation(Rule op, List<Ref> args) {
    }

    /**
     * {@code op(args…)}: folded into a constant when its arguments are constants, a uniform
     * instruction when they are uniforms, else a block instruction appended to {@code code}.
     * Simplifying (for derivative rules) drops exact identities only: {@code pow(a, 0) = 1} and
     * {@code 1·x = x}; never {@code 0·x}, which is not 0 where x is infinite. {@code pow(a, 1) = a}
     * holds everywhere, so it is dropped in the forward pass too.
     *
     * <p>An operation already emitted with the same operands is not emitted again: its earlier
     * result is reused. Slots are single-assignment and every primitive a function of its
     * operands, so the two would be equal; and the forward pass is emitted whole before the
     * reverse sweep, so a reused result has always been computed when it is read. This is what
     * keeps a second-order program cheap: the reverse sweep of a recorded tangent (or adjoint)
     * sweep asks again for the sines, cosines and products the recorded sweep already holds.
     */
    private Ref emit(Rule op, List<Ref> args, List<Instr> code, boolean simplify) {
        boolean uniformArgs = args.stream().noneMatch(Ref::block);
        if (uniformArgs && args.stream().allMatch(this::isConstant)) {
            double[] x = args.stream().mapToDouble(this::value).toArray();
            return constant(x.length <= 2 && op instanceof Op primitive
                    ? primitive.apply(x[0], x.length > 1 ? x[1] : 0) : op.value(x));
        }
        Ref a = args.get(0);
        Ref b = args.size() > 1 ? args.get(1) : null;
        if (op == Op.POW && isConstant(b) && value(b) == 1) {
            return a; // Math.pow(a, 1) is a, by its specification, and so is Op's pow
        }
        if (simplify && op == Op.POW && isConstant(b) && value(b) == 0) {
            return constant(1); // Math.pow(a, 0) is 1 for every a, NaN included, and so is Op's pow
        }
        if (simplify && op == Op.MUL) {
            if (isConstant(a) && value(a) == 1) {
                return b;
            }
            if (isConstant(b) && value(b) == 1) {
                return a;
            }
        }
        Computation key = new Computation(op, List.copyOf(args));
        Ref done = emitted.get(key);
        if (done != null) {
            return done;
        }
        Ref r = uniformArgs ? newUniform(0, false) : newSlot();
        emitted.put(key, r);
        if (uniformArgs) {
            uniform.add(new Apply(op, r, args));
            return r;
        }
        // A recorded reverse sweep's products are the kernels' own adjoint steps.
        if (op == Op.CONTRIBUTION) {
            code.add(new MulAdd(r, null, a, b));
        } else if (op == Op.QUOTIENT_CONTRIBUTION) {
            code.add(new DivAdd(r, null, a, b));
        } else {
            code.add(new Apply(op, r, args));
        }
        return r;
    }
}
