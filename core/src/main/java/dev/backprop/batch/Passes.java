package dev.backprop.batch;

import dev.backprop.batch.Instr.Affine;
import dev.backprop.batch.Instr.Apply;
import dev.backprop.batch.Instr.Dot;
import dev.backprop.batch.Instr.Dot2;
import dev.backprop.batch.Instr.Lin;
import dev.backprop.batch.Instr.Mul2;
import dev.backprop.batch.Instr.MulAdd;
import dev.backprop.batch.Instr.SinCos;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The optimisations of the batch compiler, one pass each, applied in this order by {@link
 * Lowering}: each takes instruction lists and returns new ones with the same results, and each is
 * driven by use counts (how many instructions read a block slot), never by which instruction
 * happens to stand next to which. Block slots are single-assignment, so an instruction may move
 * later, to where its last operand's reader stood, without changing what it reads.
 */
final class Passes {
    private Passes() {
    }

    /** Where this very instruction stands (records with equal fields are equal, so not indexOf). */
    private static int position(List<Instr> list, Instr in) {
        for (int j = 0; j < list.size(); j++) {
            if (list.get(j) == in) {
                return j;
            }
        }
        throw new IllegalStateException("instruction not in its pass: " + in.listing());
    }

    /** How many instructions of {@code passes} (and the output) read each block slot. */
    static int[] uses(List<List<Instr>> passes, Ref output, int slots) {
        int[] uses = new int[slots];
        for (List<Instr> pass : passes) {
            for (Instr in : pass) {
                for (Ref r : in.reads()) {
                    if (r.block()) {
                        uses[r.index()]++;
                    }
                }
            }
        }
        if (output.block()) {
            uses[output.index()]++;
        }
        return uses;
    }

    /**
     * A product read only by a sum, {@code p = a·b; y = p + c}, becomes {@code y = a·b + c} in
     * one pass ({@link Affine}) where the sum stood; the product's slot is then never written.
     */
    static List<Instr> fuseAffine(List<Instr> forward, int[] uses) {
        Map<Ref, Apply> products = new HashMap<>();
        for (Instr in : forward) {
            if (in instanceof Apply a && a.op() == Op.MUL && a.dst().block() && uses[a.dst().index()] == 1) {
                products.put(a.dst(), a);
            }
        }
        List<Instr> out = new ArrayList<>(forward);
        for (int j = 0; j < out.size(); j++) {
            if (!(out.get(j) instanceof Apply s) || s.op() != Op.ADD || s.a().equals(s.b())) {
                continue;
            }
            Apply p = products.remove(s.a());
            Ref c = s.b();
            if (p == null) {
                p = products.remove(s.b());
                c = s.a();
            }
            if (p != null) {
                out.set(position(out, p), null);
                out.set(j, new Affine(s.dst(), p.a(), p.b(), c));
            }
        }
        out.removeIf(Objects::isNull);
        return out;
    }

    /**
     * A contribution read only by a sum, {@code t = g·e; y = t + c} with c a block, becomes
     * {@code y = c + g·e} in one pass ({@link MulAdd} with c as its {@code prev}) where the sum
     * stood: the recorded forward-mode sweep's {@code ṫ = ȧ·∂y/∂a + ḃ·∂y/∂b}. The same two
     * roundings, contribution then sum, so the same doubles.
     */
    static List<Instr> fuseContributionSums(List<Instr> pass, int[] uses) {
        Map<Ref, MulAdd> single = new HashMap<>();
        for (Instr in : pass) {
            if (in instanceof MulAdd m && m.prev() == null && uses[m.dst().index()] == 1) {
                single.put(m.dst(), m);
            }
        }
        List<Instr> out = new ArrayList<>(pass);
        for (int j = 0; j < out.size(); j++) {
            if (!(out.get(j) instanceof Apply s) || s.op() != Op.ADD || s.b() == null || s.a().equals(s.b())) {
                continue;
            }
            MulAdd m = s.a().block() ? single.get(s.b()) : null;
            Ref c = s.a();
            if (m == null) {
                m = s.b().block() ? single.get(s.a()) : null;
                c = s.b();
            }
            if (m != null) {
                single.remove(m.dst());
                out.set(position(out, m), null);
                out.set(j, new MulAdd(s.dst(), c, m.g(), m.e()));
            }
        }
        out.removeIf(Objects::isNull);
        return out;
    }

    /**
     * A sum of contributions of blocks by uniforms, each partial sum read by nothing else, becomes
     * one {@link Lin} where its last sum stood: forward mode's tangent of every layer {@code
     * β + ω·φ(h)}, {@code p = ḣ·φ'(h); t1 = ω̇·φ(h); t2 = t1 + p·ω; ḣ' = β̇ + t2}, in one pass
     * instead of four (and {@code t1 = ω̇·x; ḣ = β̇ + t1} of the first layer in one instead of
     * two). Runs after {@link #fuseContributionSums}, which has made {@code t2} a {@link MulAdd}
     * with {@code t1} as its {@code prev}. The same products and sums in the same order, so the
     * same doubles. When {@code φ'(h)} is a negated block read only there (cos's −sin), the sign
     * moves onto the uniform ω ({@code negate}), as {@link #fuseChains} moves it: {@code (ḣ·(−s))·ω}
     * and {@code (ḣ·s)·(−ω)} are the same double, zeros included (a strong-zero product is +0
     * either way).
     */
    static List<Instr> fuseLinear(List<Instr> pass, int[] uses, UnaryOperator<Ref> negate) {
        List<Instr> out = new ArrayList<>(pass);
        Map<Ref, Integer> open = new HashMap<>(); // a Lin not yet given its c, by dst: where it stands
        Map<Ref, Lin> lins = new HashMap<>();
        Map<Ref, Integer> products = new HashMap<>(); // block·block contributions read once: where they stand
        Map<Ref, Integer> negations = new HashMap<>();
        for (int j = 0; j < out.size(); j++) {
            Instr in = out.get(j);
            if (in instanceof Apply a && a.op() == Op.NEG && a.dst().block() && a.a().block() && uses[a.dst().index()] == 1) {
                negations.put(a.dst(), j);
            } else if (in instanceof MulAdd m && m.prev() == null && m.dst().block() && m.g().block() && m.e().block()
                    && uses[m.dst().index()] == 1) {
                products.put(m.dst(), j);
            } else if (in instanceof MulAdd m && m.dst().block() && blockByUniform(m.g(), m.e())) {
                Ref x = m.g().block() ? m.g() : m.e();
                Ref k = m.g().block() ? m.e() : m.g();
                Lin first = m.prev() == null ? null : lins.get(m.prev());
                Lin lin;
                if (m.prev() == null) {
                    lin = new Lin(m.dst(), x, k, null, null, null, null); // stays a MulAdd unless fused
                } else if (first != null && first.x2() == null && open.containsKey(m.prev())) {
                    Ref y = null;
                    Integer p = products.remove(x);
                    if (p != null) {
                        MulAdd inner = (MulAdd) out.get(p);
                        out.set(p, null);
                        // A negated factor goes second (contributions commute bit for bit), then loses its sign.
                        boolean swap = !negations.containsKey(inner.e()) && negations.containsKey(inner.g());
                        x = swap ? inner.e() : inner.g();
                        y = swap ? inner.g() : inner.e();
                        Integer n = negations.remove(y);
                        if (n != null) {
                            y = ((Apply) out.get(n)).a();
                            k = negate.apply(k);
                            out.set(n, null);
                        }
                    }
                    lin = new Lin(m.dst(), first.x1(), first.k1(), x, y, k, null);
                    out.set(open.remove(m.prev()), null);
                    out.set(j, lin);
                } else {
                    continue;
                }
                if (uses[m.dst().index()] == 1) {
                    lins.put(m.dst(), lin);
                    open.put(m.dst(), j);
                }
            } else if (in instanceof Apply s && s.op() == Op.ADD && s.b() != null && !s.a().equals(s.b())) {
                Ref t = open.containsKey(s.a()) ? s.a() : open.containsKey(s.b()) ? s.b() : null;
                if (t == null) {
                    continue;
                }
                Lin lin = lins.get(t);
                Ref c = t.equals(s.a()) ? s.b() : s.a();
                if (lin.x2() == null && c.block()) {
                    continue; // one product plus a block is fuseContributionSums' MulAdd already
                }
                out.set(open.remove(t), null);
                out.set(j, new Lin(s.dst(), lin.x1(), lin.k1(), lin.x2(), lin.y2(), lin.k2(), c));
            }
        }
        out.removeIf(Objects::isNull);
        return out;
    }

    /** One factor a block and the other a uniform: the shape {@link Lin} takes. */
    private static boolean blockByUniform(Ref g, Ref e) {
        return g.block() != e.block();
    }

    /**
     * Two {@link Dot}s with the same block adjoint {@code g} become one {@link Dot2} where the
     * second stood: {@code β + ω·h} gives ∂/∂β and ∂/∂ω from one pass over g.
     */
    static List<Instr> fuseDots(List<Instr> backward) {
        List<Instr> out = new ArrayList<>(backward);
        Map<Ref, Integer> waiting = new HashMap<>();
        for (int j = 0; j < out.size(); j++) {
            if (!(out.get(j) instanceof Dot d) || !d.g().block()) {
                continue;
            }
            Integer first = waiting.remove(d.g());
            if (first == null) {
                waiting.put(d.g(), j);
                continue;
            }
            Dot f = (Dot) out.get(first);
            out.set(first, null);
            out.set(j, new Dot2(f.acc(), d.acc(), d.g(), f.e(), d.e()));
        }
        out.removeIf(Objects::isNull);
        return out;
    }

    /**
     * The first sin and the first cos of each block slot, wherever they stand in the passes (run
     * in order), become one {@link SinCos} where the earlier stood: the argument is computed by
     * then, and the later one's result is read only after its old place.
     */
    static List<List<Instr>> pairSinCos(List<List<Instr>> passes) {
        Map<Ref, int[]> sin = new LinkedHashMap<>();
        Map<Ref, int[]> cos = new HashMap<>();
        for (int p = 0; p < passes.size(); p++) {
            List<Instr> pass = passes.get(p);
            for (int j = 0; j < pass.size(); j++) {
                if (pass.get(j) instanceof Apply a && a.a().block() && a.dst().block()
                        && (a.op() == Op.SIN || a.op() == Op.COS)) {
                    (a.op() == Op.SIN ? sin : cos).putIfAbsent(a.a(), new int[] {p, j});
                }
            }
        }
        List<List<Instr>> out = new ArrayList<>();
        for (List<Instr> pass : passes) {
            out.add(new ArrayList<>(pass));
        }
        for (Map.Entry<Ref, int[]> e : sin.entrySet()) {
            int[] s = e.getValue();
            int[] c = cos.get(e.getKey());
            if (c == null) {
                continue;
            }
            boolean sinFirst = s[0] < c[0] || (s[0] == c[0] && s[1] < c[1]);
            int[] first = sinFirst ? s : c;
            int[] later = sinFirst ? c : s;
            Ref sinDst = ((Apply) passes.get(s[0]).get(s[1])).dst();
            Ref cosDst = ((Apply) passes.get(c[0]).get(c[1])).dst();
            out.get(first[0]).set(first[1], new SinCos(sinDst, cosDst, e.getKey()));
            out.get(later[0]).set(later[1], null);
        }
        for (List<Instr> pass : out) {
            pass.removeIf(Objects::isNull);
        }
        return out;
    }

    /**
     * Two adjoint products in a chain, {@code d = g·e1; d' = d·e2} with d read by nothing else,
     * become one {@link Mul2} where the second stood: ∂f/∂h = g·ω·φ'(h) of every layer {@code
     * f = β + ω·φ(h)}. When e2 is a negated block read only here and e1 a uniform, the sign moves
     * onto e1 ({@code negate} makes the uniform −e1; (g·e1)·(−s) and (g·(−e1))·s are the same
     * double), so cos's derivative −sin costs no pass of its own.
     */
    static List<Instr> fuseChains(List<Instr> backward, int[] uses, UnaryOperator<Ref> negate) {
        Map<Ref, MulAdd> inner = new HashMap<>();
        Map<Ref, Apply> negations = new HashMap<>();
        for (Instr in : backward) {
            if (in instanceof MulAdd m && m.prev() == null && m.g().block() && uses[m.dst().index()] == 1) {
                inner.put(m.dst(), m);
            } else if (in instanceof Apply a && a.op() == Op.NEG && a.dst().block() && a.a().block()) {
                negations.put(a.dst(), a);
            }
        }
        List<Instr> out = new ArrayList<>(backward);
        for (int j = 0; j < out.size(); j++) {
            if (!(out.get(j) instanceof MulAdd outer) || outer.prev() != null || !outer.e().block()) {
                continue;
            }
            MulAdd first = inner.remove(outer.g());
            if (first == null) {
                continue;
            }
            inner.remove(outer.dst()); // fused now: it cannot also be the inner product of a later chain
            Ref e1 = first.e();
            Ref e2 = outer.e();
            Apply neg = negations.get(e2);
            if (neg != null && uses[e2.index()] == 1 && !e1.block()) {
                e1 = negate.apply(e1);
                e2 = neg.a();
                out.set(position(out, neg), null);
            }
            out.set(position(out, first), null);
            out.set(j, new Mul2(outer.dst(), first.g(), e1, e2));
        }
        out.removeIf(Objects::isNull);
        return out;
    }
}
