package dev.backprop.batch;

import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.List;

/**
 * One instruction of a compiled batch program: a loop over the points of a block (or, for an
 * {@link Apply} to a uniform, one operation per call). Immutable; each kind names its fields.
 * {@link Passes} rewrites lists of them; {@link #run} executes one on a {@link Frame}.
 */
sealed interface Instr {

    /** Executes this instruction over the frame's current block. */
    void run(Frame f);

    /** The operands it reads, for use counts. */
    List<Ref> reads();

    /** One line for {@link BatchProgram}'s listing. */
    String listing();

    /**
     * {@code dst = op(args…)}, values from {@link Op}: one or two arguments through the kernel's
     * loops ({@link #a()}, and {@link #b()} null for a unary primitive), more ({@code max(a, b, c)})
     * by a plain loop over the points. {@code op} may also be a custom function (or a numeric
     * partial's function), which always runs by the plain loop.
     */
    record Apply(Rule op, Ref dst, List<Ref> args) implements Instr {
        public Apply {
            args = List.copyOf(args);
        }

        /** One or two arguments ({@code b} null for one). */
        Apply(Op op, Ref dst, Ref a, Ref b) {
            this(op, dst, b == null ? List.of(a) : List.of(a, b));
        }

        /** The first argument. */
        Ref a() {
            return args.get(0);
        }

        /** The second argument, or null. */
        Ref b() {
            return args.size() > 1 ? args.get(1) : null;
        }

        public void run(Frame f) {
            if (args.size() <= 2 && op instanceof Op primitive) {
                Ref b = b();
                f.kernel.apply(primitive, dst.array(f), a().array(f), a().scalar(f),
                        b != null ? b.array(f) : null, b != null ? b.scalar(f) : 0, f.m);
                return;
            }
            double[] y = dst.array(f);
            double[] x = new double[args.size()];
            for (int i = 0; i < f.m; i++) {
                for (int k = 0; k < x.length; k++) {
                    double[] arr = args.get(k).array(f);
                    x[k] = arr == null ? args.get(k).scalar(f) : arr[i];
                }
                y[i] = op.value(x);
            }
        }

        /** The same on uniforms, once per call. */
        void runUniform(double[] uni) {
            if (args.size() <= 2 && op instanceof Op primitive) {
                uni[dst.index()] = primitive.apply(uni[a().index()], args.size() == 2 ? uni[b().index()] : 0);
                return;
            }
            double[] x = new double[args.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = uni[args.get(k).index()];
            }
            uni[dst.index()] = op.value(x);
        }

        public List<Ref> reads() {
            return args;
        }

        public String listing() {
            String name = op instanceof Op primitive ? primitive.name().toLowerCase() : op.symbol();
            StringBuilder sb = new StringBuilder("apply " + name + " dst=" + dst);
            for (int k = 0; k < args.size(); k++) {
                sb.append(' ').append(k < 2 ? (char) ('a' + k) + "=" : "arg" + k + "=").append(args.get(k));
            }
            return sb.toString();
        }
    }

    /**
     * {@code dst = a·b + c}: a product feeding a sum (every layer's {@code β + ω·h}) in one pass,
     * rounded after the product and after the sum, as the two steps it replaces.
     */
    record Affine(Ref dst, Ref a, Ref b, Ref c) implements Instr {
        public void run(Frame f) {
            f.kernel.affine(dst.array(f), a.array(f), a.scalar(f), b.array(f), b.scalar(f), c.array(f), c.scalar(f), f.m);
        }

        public List<Ref> reads() {
            return List.of(a, b, c);
        }

        public String listing() {
            return "affine dst=" + dst + " a=" + a + " b=" + b + " c=" + c;
        }
    }

    /**
     * {@code sin = sin(arg)} and {@code cos = cos(arg)} in one pass: what a derivative of either
     * asks for (∂sin(u)/∂u = cos(u), ∂cos(u)/∂u = −sin(u)).
     */
    record SinCos(Ref sin, Ref cos, Ref arg) implements Instr {
        public void run(Frame f) {
            f.kernel.sincos(sin.array(f), cos.array(f), arg.array(f), f.m);
        }

        public List<Ref> reads() {
            return List.of(arg);
        }

        public String listing() {
            return "sincos sin=" + sin + " cos=" + cos + " a=" + arg;
        }
    }

    /**
     * {@code dst = prev + g·e} ({@code prev} null: 0), one adjoint contribution by {@link
     * Op#contribution}; adjoints are single-assignment, so each contribution writes a new slot.
     */
    record MulAdd(Ref dst, Ref prev, Ref g, Ref e) implements Instr {
        public void run(Frame f) {
            f.kernel.mulAdd(dst.array(f), prev == null ? null : prev.array(f), g.array(f), g.scalar(f), e.array(f), e.scalar(f), f.m);
        }

        public List<Ref> reads() {
            return prev == null ? List.of(g, e) : List.of(prev, g, e);
        }

        public String listing() {
            return "mul_add dst=" + dst + " prev=" + (prev == null ? "-" : prev) + " g=" + g + " e=" + e;
        }
    }

    /**
     * {@code dst = (x1·k1 + (x2·y2)·k2) + c}: a tangent step {@code ḣ' = ω̇·h + (ḣ·φ'(h))·ω + β̇}
     * of forward mode in one pass instead of up to four. The x and y are blocks, the k uniforms;
     * each product by {@link Op#contribution}, added in that order, as the {@link MulAdd}s and the
     * sum it replaces would add them, so the same doubles. May be absent (null): the second term
     * ({@code x2}, {@code y2}, {@code k2}), its inner factor {@code y2}, and {@code c} (a block or
     * a uniform).
     */
    record Lin(Ref dst, Ref x1, Ref k1, Ref x2, Ref y2, Ref k2, Ref c) implements Instr {
        public void run(Frame f) {
            f.kernel.lin(dst.array(f), x1.array(f), k1.scalar(f), x2 == null ? null : x2.array(f),
                    y2 == null ? null : y2.array(f), x2 == null ? 0 : k2.scalar(f),
                    c == null ? null : c.array(f), c == null ? 0 : c.scalar(f), c != null, f.m);
        }

        public List<Ref> reads() {
            List<Ref> r = new java.util.ArrayList<>(List.of(x1, k1));
            for (Ref o : java.util.Arrays.asList(x2, y2, k2, c)) {
                if (o != null) {
                    r.add(o);
                }
            }
            return r;
        }

        public String listing() {
            return "lin dst=" + dst + " x1=" + x1 + " k1=" + k1 + (x2 == null ? "" : " x2=" + x2)
                    + (y2 == null ? "" : " y2=" + y2) + (x2 == null ? "" : " k2=" + k2) + " c=" + (c == null ? "-" : c);
        }
    }

    /**
     * {@code dst = (g·e1)·e2}: two adjoint factors of a chain ({@code g·ω·φ'(h)}) in one pass,
     * each product by {@link Op#contribution}, as the two {@link MulAdd}s it replaces; the inner
     * adjoint is read by nothing else, so it is never stored. {@code g} and {@code e2} are blocks.
     */
    record Mul2(Ref dst, Ref g, Ref e1, Ref e2) implements Instr {
        public void run(Frame f) {
            f.kernel.mul2(dst.array(f), g.array(f), e1.array(f), e1.scalar(f), e2.array(f), f.m);
        }

        public List<Ref> reads() {
            return List.of(g, e1, e2);
        }

        public String listing() {
            return "mul2 dst=" + dst + " g=" + g + " e1=" + e1 + " e2=" + e2;
        }
    }

    /**
     * {@code dst = prev + t/den} ({@code prev} null: 0) by {@link Op#quotientContribution}: the
     * last step of a {@link Op#quotient} rule, {@code t} being the adjoint times the numerator.
     */
    record DivAdd(Ref dst, Ref prev, Ref t, Ref den) implements Instr {
        public void run(Frame f) {
            f.kernel.divAdd(dst.array(f), prev == null ? null : prev.array(f), t.array(f), t.scalar(f), den.array(f), den.scalar(f), f.m);
        }

        public List<Ref> reads() {
            return prev == null ? List.of(t, den) : List.of(prev, t, den);
        }

        public String listing() {
            return "div_add dst=" + dst + " prev=" + (prev == null ? "-" : prev) + " t=" + t + " den=" + den;
        }
    }

    /** {@code acc += Σ t/den} over the block, each term by {@link Op#quotientContribution}. */
    record DotDiv(int acc, Ref t, Ref den) implements Instr {
        public void run(Frame f) {
            f.partial[f.base + 1 + acc] += f.kernel.dotDiv(t.array(f), t.scalar(f), den.array(f), den.scalar(f), f.m);
        }

        public List<Ref> reads() {
            return List.of(t, den);
        }

        public String listing() {
            return "dot_div acc" + acc + " t=" + t + " den=" + den;
        }
    }

    /** {@code acc += Σ g·e} over the block: a contribution to a uniform node's adjoint, summed over points. */
    record Dot(int acc, Ref g, Ref e) implements Instr {
        public void run(Frame f) {
            f.partial[f.base + 1 + acc] += f.kernel.dot(g.array(f), g.scalar(f), e.array(f), e.scalar(f), f.m);
        }

        public List<Ref> reads() {
            return List.of(g, e);
        }

        public String listing() {
            return "dot acc" + acc + " g=" + g + " e=" + e;
        }
    }

    /** Two {@link Dot}s with the same block {@code g} in one pass over it (∂/∂β and ∂/∂ω of {@code β + ω·h}). */
    record Dot2(int acc1, int acc2, Ref g, Ref e1, Ref e2) implements Instr {
        public void run(Frame f) {
            f.kernel.dot2(g.array(f), e1.array(f), e1.scalar(f), e2.array(f), e2.scalar(f), f.m, f.two);
            f.partial[f.base + 1 + acc1] += f.two[0];
            f.partial[f.base + 1 + acc2] += f.two[1];
        }

        public List<Ref> reads() {
            return List.of(g, e1, e2);
        }

        public String listing() {
            return "dot2 acc" + acc1 + " acc" + acc2 + " g=" + g + " e1=" + e1 + " e2=" + e2;
        }
    }
}
