package dev.backprop.op;

/**
 * The primitive table: every primitive's value and its local partial derivatives, in one place.
 *
 * <p>Each constant declares three things side by side: {@link #apply} (the value),
 * {@link #partial(int, double, double, double)} (a local derivative as a number, used by every
 * reverse sweep, scalar or tensor) and {@link #partial(int, Algebra, Object, Object, Object)} (the
 * same rule as an expression, used for closed-form derivatives). A reviewer audits a rule on one
 * screen; a test checks both forms of every rule against finite differences.
 *
 * <p>In each rule {@code a} and {@code b} are the arguments ({@code b} is unused by unary
 * primitives) and {@code y} is the primitive's own value at them, which several rules reuse
 * ({@code exp' = y}, {@code tanh' = 1 − y²}). A primitive may take more than two arguments
 * ({@link #minArity()}, {@link #maxArity()}: {@code max}, {@code min} and {@code logsumexp} take
 * two or more); it then also writes the same rules over an array or list of arguments ({@link
 * #value(double[])}, {@link #partial(int, double[], double)}, {@link #partial(int, Algebra,
 * java.util.List, Object)}), which at two arguments give exactly its two-argument rules. Engines
 * call the {@code (a, b)} forms for nodes of one or two arguments and the array forms otherwise.
 *
 * <p>To add a primitive: one constant here with its value, its numeric partial and its expression
 * partial (a quotient rule also gives its numerator and denominator). The parser, the function
 * lists in {@code --help} and the README, every engine and closed forms read this table; {@code
 * OpTest} and {@code EnginesAgreeTest} hold it to PyTorch once its PyTorch function is added to
 * their fixture scripts. A SIMD loop in the batch kernel is optional.
 *
 * <p>Conventions at kinks and special values follow PyTorch (float64) except where noted: {@code
 * relu'(0) = 0}, {@code abs'(0) = 0}; a {@code max}/{@code min} tie gives half the gradient to each
 * argument; {@code pow(1, b) = 1} and {@code pow(−1, ±∞) = 1} (C's {@code pow}, not Java's NaN).
 * NaN in gives NaN out: {@code relu}, {@code step} and every local derivative at a NaN argument are
 * NaN, never a quiet 0. The numeric rule and the expression rule of each primitive give the same
 * number at every argument, special values included ({@code OpTest} checks a grid of them), so
 * the scalar engine, the batch engine and printed closed forms agree. How a rule's number meets
 * the incoming adjoint is {@link #contribution}, the one place for the chain rule's zero rule.
 *
 * <p>A function a user registers at run time is a {@link CustomFunction}; both are {@link Rule}s.
 */
public enum Op implements Rule {
    ADD("+", 2) {
        public double apply(double a, double b) { return a + b; }
        public double partial(int arg, double a, double b, double y) { return 1; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(1); }
    },
    SUB("-", 2) {
        public double apply(double a, double b) { return a - b; }
        public double partial(int arg, double a, double b, double y) { return arg == 0 ? 1 : -1; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(arg == 0 ? 1 : -1); }
    },
    MUL("*", 2) {
        public double apply(double a, double b) { return a * b; }
        public double partial(int arg, double a, double b, double y) { return arg == 0 ? b : a; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return arg == 0 ? b : a; }
    },
    DIV("/", 2) {
        public double apply(double a, double b) { return a / b; }
        public double partial(int arg, double a, double b, double y) { return numerator(arg, a, b, y) / denominator(arg, a, b, y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(numerator(arg, s, a, b, y), denominator(arg, s, a, b, y)); }
        // 1/b and −y/b (not −a/b², which over- or underflows where the derivative itself is finite).
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return arg == 0 ? 1 : -y; }
        public double denominator(int arg, double a, double b, double y) { return b; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return arg == 0 ? s.constant(1) : s.neg(y); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return b; }
    },
    NEG("-", 1) {
        public double apply(double a, double b) { return -a; }
        public double partial(int arg, double a, double b, double y) { return -1; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(-1); }
    },
    /**
     * a^b, with C's (and PyTorch's) special cases where Java's differ: {@code pow(1, b) = 1} for
     * every b, NaN included, and {@code pow(−1, ±∞) = 1}. ∂/∂a is 0 where b = 0 (not 0·a^−1 = NaN
     * at a = 0); ∂/∂b is 0 where a = 0 (not y·log 0 = 0·(−∞)): both as in PyTorch, except that at
     * a = 0, b &lt; 0, where the value is already infinite, ∂/∂b is NaN (PyTorch: −∞). The
     * expression rule writes each guard as an exponent or log argument read as 1 where it is 0
     * ({@link #zeroAsOne}), so printed closed forms agree with the numbers everywhere.
     */
    POW("pow", 2) {
        public double apply(double a, double b) {
            return a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b);
        }
        public double partial(int arg, double a, double b, double y) {
            if (arg == 0) {
                return b == 0 ? 0 : b * apply(a, b - 1);
            }
            return a == 0 ? y * 0 : y * Math.log(a);
        }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) {
            return arg == 0
                    ? s.mul(b, s.apply(POW, a, s.sub(zeroAsOne(s, b), s.constant(1))))
                    : s.mul(y, s.apply(LOG, zeroAsOne(s, a)));
        }
    },
    SIN("sin", 1) {
        public double apply(double a, double b) { return Math.sin(a); }
        public double partial(int arg, double a, double b, double y) { return Math.cos(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(COS, a); }
    },
    COS("cos", 1) {
        public double apply(double a, double b) { return Math.cos(a); }
        public double partial(int arg, double a, double b, double y) { return -Math.sin(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.neg(s.apply(SIN, a)); }
    },
    TAN("tan", 1) {
        public double apply(double a, double b) { return Math.tan(a); }
        public double partial(int arg, double a, double b, double y) { return 1 + y * y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.add(s.constant(1), s.mul(y, y)); }
    },
    EXP("exp", 1) {
        public double apply(double a, double b) { return Math.exp(a); }
        public double partial(int arg, double a, double b, double y) { return y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return y; }
    },
    LOG("log", 1) {
        public double apply(double a, double b) { return Math.log(a); }
        public double partial(int arg, double a, double b, double y) { return 1 / a; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(1), a); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return 1; }
        public double denominator(int arg, double a, double b, double y) { return a; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(1); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return a; }
    },
    SQRT("sqrt", 1) {
        public double apply(double a, double b) { return Math.sqrt(a); }
        public double partial(int arg, double a, double b, double y) { return 0.5 / y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(0.5), y); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return 0.5; }
        public double denominator(int arg, double a, double b, double y) { return y; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(0.5); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return y; }
    },
    TANH("tanh", 1) {
        public double apply(double a, double b) { return Math.tanh(a); }
        public double partial(int arg, double a, double b, double y) { return 1 - y * y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.sub(s.constant(1), s.mul(y, y)); }
    },
    ATAN("atan", 1) {
        public double apply(double a, double b) { return Math.atan(a); }
        public double partial(int arg, double a, double b, double y) { return 1 / (1 + a * a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(1), s.add(s.constant(1), s.mul(a, a))); }
    },
    /** ∂/∂a = 1/√((1 − a)(1 + a)): the factored form keeps its precision as |a| → 1, where 1 − a² cancels. */
    ASIN("asin", 1) {
        public double apply(double a, double b) { return Math.asin(a); }
        public double partial(int arg, double a, double b, double y) { return 1 / denominator(arg, a, b, y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(1), denominator(arg, s, a, b, y)); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return 1; }
        public double denominator(int arg, double a, double b, double y) { return Math.sqrt((1 - a) * (1 + a)); }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(1); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return oneMinusSquareRoot(s, a); }
    },
    /** ∂/∂a = −1/√((1 − a)(1 + a)), as {@link #ASIN} with the sign turned. */
    ACOS("acos", 1) {
        public double apply(double a, double b) { return Math.acos(a); }
        public double partial(int arg, double a, double b, double y) { return -1 / denominator(arg, a, b, y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(-1), denominator(arg, s, a, b, y)); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return -1; }
        public double denominator(int arg, double a, double b, double y) { return Math.sqrt((1 - a) * (1 + a)); }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(-1); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return oneMinusSquareRoot(s, a); }
    },
    SINH("sinh", 1) {
        public double apply(double a, double b) { return Math.sinh(a); }
        public double partial(int arg, double a, double b, double y) { return Math.cosh(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(COSH, a); }
    },
    COSH("cosh", 1) {
        public double apply(double a, double b) { return Math.cosh(a); }
        public double partial(int arg, double a, double b, double y) { return Math.sinh(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(SINH, a); }
    },
    /** log(1 + a), exact for tiny a where {@code log(1 + a)} rounds 1 + a first. */
    LOG1P("log1p", 1) {
        public double apply(double a, double b) { return Math.log1p(a); }
        public double partial(int arg, double a, double b, double y) { return 1 / (1 + a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(1), s.add(s.constant(1), a)); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return 1; }
        public double denominator(int arg, double a, double b, double y) { return 1 + a; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(1); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return s.add(s.constant(1), a); }
    },
    /** e^a − 1, exact for tiny a. Its derivative is e^a itself (not y + 1, which is 0 for a &lt; −37). */
    EXPM1("expm1", 1) {
        public double apply(double a, double b) { return Math.expm1(a); }
        public double partial(int arg, double a, double b, double y) { return Math.exp(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(EXP, a); }
    },
    /** log(1 + e^a) without overflow: {@code softplus(800) = 800}; its derivative is sigmoid(a). */
    SOFTPLUS("softplus", 1) {
        public double apply(double a, double b) {
            return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
        }
        public double partial(int arg, double a, double b, double y) { return SIGMOID.apply(a, 0); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(SIGMOID, a); }
    },
    /** 1 / (1 + e^−a), computed without overflow for large |a|. */
    SIGMOID("sigmoid", 1) {
        public double apply(double a, double b) {
            if (a >= 0) {
                return 1 / (1 + Math.exp(-a));
            }
            double e = Math.exp(a);
            return e / (1 + e);
        }
        public double partial(int arg, double a, double b, double y) { return y * (1 - y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.mul(y, s.sub(s.constant(1), y)); }
    },
    RELU("relu", 1) {
        public double apply(double a, double b) { return Math.max(a, 0.0); } // NaN stays NaN; −0 gives 0
        public double partial(int arg, double a, double b, double y) { return STEP.apply(a, 0); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(STEP, a); }
    },
    ABS("abs", 1) {
        public double apply(double a, double b) { return Math.abs(a); }
        public double partial(int arg, double a, double b, double y) { return Math.signum(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(SIGN, a); }
    },
    /**
     * The largest argument, of two or more. A tie gives the gradient in equal shares to the tied
     * arguments (½ each of two, as PyTorch's {@code maximum}; ⅓ each of three, as its {@code
     * amax}); a tie of equal infinities gives NaN, as ∞ − ∞ does.
     */
    MAX("max", 2, Integer.MAX_VALUE) {
        public double apply(double a, double b) { return Math.max(a, b); }
        public double partial(int arg, double a, double b, double y) { return tieHalf(arg == 0 ? a - b : b - a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return tieHalf(s, arg == 0 ? s.sub(a, b) : s.sub(b, a)); }
        public double value(double[] x) {
            double m = x[0];
            for (int i = 1; i < x.length; i++) {
                m = Math.max(m, x[i]);
            }
            return m;
        }
        public double partial(int arg, double[] x, double y) { return x.length == 2 ? partial(arg, x[0], x[1], y) : share(arg, x, 1); }
        public <E> E partial(int arg, Algebra<E> s, java.util.List<E> x, E y) {
            return x.size() == 2 ? partial(arg, s, x.get(0), x.get(1), y) : share(s, arg, x, 1);
        }
    },
    /** The smallest argument, of two or more; ties as {@link #MAX}. */
    MIN("min", 2, Integer.MAX_VALUE) {
        public double apply(double a, double b) { return Math.min(a, b); }
        public double partial(int arg, double a, double b, double y) { return tieHalf(arg == 0 ? b - a : a - b); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return tieHalf(s, arg == 0 ? s.sub(b, a) : s.sub(a, b)); }
        public double value(double[] x) {
            double m = x[0];
            for (int i = 1; i < x.length; i++) {
                m = Math.min(m, x[i]);
            }
            return m;
        }
        public double partial(int arg, double[] x, double y) { return x.length == 2 ? partial(arg, x[0], x[1], y) : share(arg, x, -1); }
        public <E> E partial(int arg, Algebra<E> s, java.util.List<E> x, E y) {
            return x.size() == 2 ? partial(arg, s, x.get(0), x.get(1), y) : share(s, arg, x, -1);
        }
    },
    /**
     * atan2(a, b), the angle of the point (b, a): ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²), each
     * written as (b/h)/h with h = hypot(a, b), which stays finite where a² + b² overflows.
     */
    ATAN2("atan2", 2) {
        public double apply(double a, double b) { return Math.atan2(a, b); }
        public double partial(int arg, double a, double b, double y) { return numerator(arg, a, b, y) / denominator(arg, a, b, y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(numerator(arg, s, a, b, y), denominator(arg, s, a, b, y)); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return (arg == 0 ? b : -a) / Math.hypot(a, b); }
        public double denominator(int arg, double a, double b, double y) { return Math.hypot(a, b); }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return s.div(arg == 0 ? b : s.neg(a), s.apply(HYPOT, a, b)); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(HYPOT, a, b); }
    },
    /**
     * √(a² + b²) without overflow or underflow; ∂/∂a = a/y, ∂/∂b = b/y. At (0, 0), where the cone
     * has no derivative, the numerator 0 passes 0 (as abs'(0) = 0 and PyTorch's {@code norm};
     * its {@code hypot} gives NaN). The numerator is written a + 0·sign(y), which is a, so that a
     * NaN in the other argument still makes it NaN.
     */
    HYPOT("hypot", 2) {
        public double apply(double a, double b) { return Math.hypot(a, b); }
        public double partial(int arg, double a, double b, double y) { return numerator(arg, a, b, y) / y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(numerator(arg, s, a, b, y), y); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return (arg == 0 ? a : b) + 0 * Math.signum(y); }
        public double denominator(int arg, double a, double b, double y) { return y; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) {
            return s.add(arg == 0 ? a : b, s.mul(s.constant(0), s.apply(SIGN, y)));
        }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return y; }
    },
    /**
     * log(e^a + e^b + …), of two or more arguments, computed as m + log1p(Σ e^(x − m)) over the
     * arguments other than the largest m, so {@code logsumexp(1000, 1000) = 1000 + log 2}. The
     * derivative is the softmax e^(x − y), which never overflows. An infinite largest argument is
     * the value; its derivative is then NaN (e^(∞ − ∞)), as the mathematics has none to give.
     */
    LOGSUMEXP("logsumexp", 2, Integer.MAX_VALUE) {
        public double apply(double a, double b) {
            double m = Math.max(a, b);
            if (Double.isInfinite(m) || m != m) {
                return m;
            }
            return m + Math.log1p(Math.exp(-Math.abs(a - b)));
        }
        public double partial(int arg, double a, double b, double y) { return Math.exp((arg == 0 ? a : b) - y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(EXP, s.sub(arg == 0 ? a : b, y)); }
        public double value(double[] x) {
            int top = 0;
            for (int i = 1; i < x.length; i++) {
                if (x[i] > x[top] || x[i] != x[i]) {
                    top = i;
                }
            }
            double m = x[top];
            if (Double.isInfinite(m) || m != m) {
                return m;
            }
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                if (i != top) {
                    sum += Math.exp(x[i] - m);
                }
            }
            return m + Math.log1p(sum);
        }
        public double partial(int arg, double[] x, double y) { return Math.exp(x[arg] - y); } // = the two-argument rule at two
        public <E> E partial(int arg, Algebra<E> s, java.util.List<E> x, E y) { return s.apply(EXP, s.sub(x.get(arg), y)); }
    },
    /** Heaviside step, 1 where a &gt; 0, 0 where a ≤ 0, NaN at NaN: the derivative of relu, written as
     *  a primitive so closed forms of relu can be printed and evaluated. Its own derivative is 0. */
    STEP("step", 1) {
        public double apply(double a, double b) { return a > 0 ? 1 : a <= 0 ? 0 : a; }
        public double partial(int arg, double a, double b, double y) { return 0; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(0); }
    },
    /** −1, 0 or 1 (NaN at NaN): the derivative of abs, and with it max's and min's. Its own derivative is 0. */
    SIGN("sign", 1) {
        public double apply(double a, double b) { return Math.signum(a); }
        public double partial(int arg, double a, double b, double y) { return 0; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(0); }
    },
    /**
     * {@link #contribution}(a, b): the chain rule's product with its strong zeros, as a step of
     * its own, so a reverse sweep recorded as a program (for second derivatives) computes the
     * same numbers as the sweep itself. Its rules are those of a·b. Not a formula function.
     */
    CONTRIBUTION("contribution", 2) {
        public double apply(double a, double b) { return contribution(a, b); }
        public double partial(int arg, double a, double b, double y) { return arg == 0 ? b : a; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return arg == 0 ? b : a; }
    },
    /** {@link #quotientContribution}(a, b), the last step of a quotient rule, as {@link #CONTRIBUTION}; the rules of a/b. */
    QUOTIENT_CONTRIBUTION("quotient_contribution", 2) {
        public double apply(double a, double b) { return quotientContribution(a, b); }
        public double partial(int arg, double a, double b, double y) { return DIV.partial(arg, a, b, y); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return DIV.partial(arg, s, a, b, y); }
        public boolean quotient(int arg) { return true; }
        public double numerator(int arg, double a, double b, double y) { return DIV.numerator(arg, a, b, y); }
        public double denominator(int arg, double a, double b, double y) { return b; }
        public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) { return DIV.numerator(arg, s, a, b, y); }
        public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) { return b; }
    };

    private static final Op[] VALUES = values();

    /**
     * What a step passes back to one argument: {@code adjoint × local} derivative, except that an
     * exact zero on either side gives exactly 0, even when the other side is infinite or NaN (the
     * "strong zero" of JAX's symbolic zeros and Julia's ChainRules). A zero local derivative means
     * the output does not move with that argument there, so {@code sqrt(relu(x))} at x &lt; 0 has
     * derivative 0, not ∞·0 = NaN; a zero adjoint means nothing downstream depends on the step, so
     * a branch masked by a factor 0 never injects NaN. Every engine (scalar, batch, tensor) applies
     * this rule; a NaN in a value still reaches the gradient wherever it is multiplied by a nonzero.
     */
    public static double contribution(double adjoint, double local) {
        return adjoint == 0 || local == 0 ? 0 : adjoint * local;
    }

    /** (1 + sign d)/2: 1 where d &gt; 0, 0 where d &lt; 0, ½ at a tie, NaN where d is NaN (∞ − ∞ included). */
    private static double tieHalf(double d) {
        return 0.5 * (1 + Math.signum(d));
    }

    private static <E> E tieHalf(Algebra<E> s, E d) {
        return s.mul(s.constant(0.5), s.add(s.constant(1), s.apply(SIGN, d)));
    }

    /**
     * Argument {@code arg}'s share of a max (direction 1) or min (−1) of {@code x}: 1/(number of
     * arguments at the extreme) if it is one of them, else 0. x[k] is at the extreme where
     * 1 − step(±(m − x[k])) is 1, m being the extreme of the other arguments; the expression form
     * computes the same steps, so NaN (and a tie of infinities at the extreme, ∞ − ∞) gives NaN
     * while infinities below the extreme do not matter.
     */
    private static double share(int arg, double[] x, int direction) {
        double count = 0;
        double mine = 0;
        for (int k = 0; k < x.length; k++) {
            int first = k == 0 ? 1 : 0;
            double m = x[first];
            for (int j = first + 1; j < x.length; j++) {
                if (j != k) {
                    m = direction > 0 ? Math.max(m, x[j]) : Math.min(m, x[j]);
                }
            }
            double at = 1 - STEP.apply(direction > 0 ? m - x[k] : x[k] - m, 0);
            count += at;
            if (k == arg) {
                mine = at;
            }
        }
        return mine / count;
    }

    private static <E> E share(Algebra<E> s, int arg, java.util.List<E> x, int direction) {
        E count = null;
        E mine = null;
        for (int k = 0; k < x.size(); k++) {
            java.util.List<E> others = new java.util.ArrayList<>(x);
            E xk = others.remove(k);
            E m = others.size() == 1 ? others.get(0) : s.apply(direction > 0 ? MAX : MIN, others);
            E at = s.sub(s.constant(1), s.apply(STEP, direction > 0 ? s.sub(m, xk) : s.sub(xk, m)));
            count = count == null ? at : s.add(count, at);
            if (k == arg) {
                mine = at;
            }
        }
        return s.div(mine, count);
    }

    /** √((1 − a)(1 + a)), the denominator of asin' and acos'. */
    private static <E> E oneMinusSquareRoot(Algebra<E> s, E a) {
        return s.apply(SQRT, s.mul(s.sub(s.constant(1), a), s.add(s.constant(1), a)));
    }

    /** {@code v + (1 − |sign v|)}: v, exactly, where v ≠ 0; 1 where v = 0; NaN where v is NaN. */
    private static <E> E zeroAsOne(Algebra<E> s, E v) {
        return s.add(v, s.sub(s.constant(1), s.apply(ABS, s.apply(SIGN, v))));
    }

    /** {@link #maxArity()} of a primitive that takes any number of arguments from its minimum up. */
    public static final int VARIADIC = Integer.MAX_VALUE;

    private final String symbol;
    private final int minArity;
    private final int maxArity;

    Op(String symbol, int arity) {
        this(symbol, arity, arity);
    }

    Op(String symbol, int minArity, int maxArity) {
        this.symbol = symbol;
        this.minArity = minArity;
        this.maxArity = maxArity;
    }

    /** The value of this primitive at {@code a} (and {@code b} for binary ones). */
    public abstract double apply(double a, double b);

    /** The value of a unary primitive at {@code a}. */
    public final double apply(double a) {
        return apply(a, 0);
    }

    /**
     * ∂y/∂(argument {@code arg}) at {@code (a, b)}, where {@code y = apply(a, b)} is passed in so
     * rules can reuse it.
     */
    public abstract double partial(int arg, double a, double b, double y);

    /** The same local derivative as an expression built with {@code s}. */
    public abstract <E> E partial(int arg, Algebra<E> s, E a, E b, E y);

    /**
     * Whether argument {@code arg}'s local derivative is a quotient, {@link #numerator} over
     * {@link #denominator} (1/a, 0.5/√a, −y/b), which the adjoint meets numerator first and
     * denominator last ({@link #vjp}): (g·n)/d stays finite where n/d alone overflows (1/a of a
     * subnormal a; g·(1/a) would be ∞ where g/a is not).
     */
    public boolean quotient(int arg) {
        return false;
    }

    /** The numerator of a {@link #quotient} rule; for any other rule the local derivative itself (over 1). */
    public double numerator(int arg, double a, double b, double y) {
        return partial(arg, a, b, y);
    }

    /** The denominator of a {@link #quotient} rule; 1 for any other rule. */
    public double denominator(int arg, double a, double b, double y) {
        return 1;
    }

    /** {@link #numerator} as an expression. */
    public <E> E numerator(int arg, Algebra<E> s, E a, E b, E y) {
        return partial(arg, s, a, b, y);
    }

    /** {@link #denominator} as an expression. */
    public <E> E denominator(int arg, Algebra<E> s, E a, E b, E y) {
        return s.constant(1);
    }

    /**
     * What this step passes back to argument {@code arg} for the adjoint {@code g}, the one numeric
     * vector-Jacobian product every engine uses: {@link #contribution}(g, local derivative), or for
     * a {@link #quotient} rule {@link #quotientContribution}(contribution(g, numerator), denominator).
     */
    public final double vjp(int arg, double g, double a, double b, double y) {
        if (!quotient(arg)) {
            return contribution(g, partial(arg, a, b, y));
        }
        return quotientContribution(contribution(g, numerator(arg, a, b, y)), denominator(arg, a, b, y));
    }

    // The same rules over any number of arguments. A primitive of one or two arguments need not
    // write them: they read the one- and two-argument forms above, which every engine calls
    // directly for such nodes (no array per step). A variadic primitive overrides these, and its
    // two-argument forms must give the same numbers as these at two arguments (OpTest checks it).

    /** The value at {@code x}, any number of arguments this primitive {@link #accepts}. */
    public double value(double[] x) {
        return apply(x[0], x.length > 1 ? x[1] : 0);
    }

    /** ∂y/∂x[arg] at {@code x}, where {@code y = value(x)}. */
    public double partial(int arg, double[] x, double y) {
        return partial(arg, x[0], x.length > 1 ? x[1] : 0, y);
    }

    /** {@link #partial(int, double[], double)} as an expression built with {@code s}. */
    public <E> E partial(int arg, Algebra<E> s, java.util.List<E> x, E y) {
        return partial(arg, s, x.get(0), x.size() > 1 ? x.get(1) : null, y);
    }

    /** {@link #numerator(int, double, double, double)} at any number of arguments. */
    public double numerator(int arg, double[] x, double y) {
        return numerator(arg, x[0], x.length > 1 ? x[1] : 0, y);
    }

    /** {@link #denominator(int, double, double, double)} at any number of arguments. */
    public double denominator(int arg, double[] x, double y) {
        return denominator(arg, x[0], x.length > 1 ? x[1] : 0, y);
    }

    /** {@link #numerator(int, double[], double)} as an expression. */
    public <E> E numerator(int arg, Algebra<E> s, java.util.List<E> x, E y) {
        return numerator(arg, s, x.get(0), x.size() > 1 ? x.get(1) : null, y);
    }

    /** {@link #denominator(int, double[], double)} as an expression. */
    public <E> E denominator(int arg, Algebra<E> s, java.util.List<E> x, E y) {
        return denominator(arg, s, x.get(0), x.size() > 1 ? x.get(1) : null, y);
    }

    /** {@link #vjp(int, double, double, double, double)} at any number of arguments. */
    public final double vjp(int arg, double g, double[] x, double y) {
        if (!quotient(arg)) {
            return contribution(g, partial(arg, x, y));
        }
        return quotientContribution(contribution(g, numerator(arg, x, y)), denominator(arg, x, y));
    }

    /**
     * {@code t / d}, where t is the adjoint times a quotient rule's numerator: 0 where t is 0 (an
     * exact zero adjoint or numerator, as in {@link #contribution}), else the quotient. A finite t
     * over an infinite d is 0 by division; a non-finite t over an infinite d is NaN, as the local
     * derivative n/d would have been had n been the culprit.
     */
    public static double quotientContribution(double t, double d) {
        return t == 0 ? 0 : t / d;
    }

    /** The fewest arguments this primitive takes (1 or 2). */
    public int minArity() {
        return minArity;
    }

    /** The most arguments this primitive takes: its {@link #minArity()}, or {@link #VARIADIC}. */
    public int maxArity() {
        return maxArity;
    }

    /** Whether this primitive takes {@code n} arguments. */
    public boolean accepts(int n) {
        return n >= minArity && n <= maxArity;
    }

    /** Whether this primitive takes exactly one argument. */
    public boolean unary() {
        return maxArity == 1;
    }

    /** "takes 1 argument", "takes 2 arguments", "takes 2 or more arguments": for error messages. */
    public String arityText() {
        String n = maxArity == VARIADIC ? minArity + " or more" : Integer.toString(minArity);
        return "takes " + n + (maxArity == 1 ? " argument" : " arguments");
    }

    /** The infix symbol ({@code + - * /}) or the function name ({@code sin}, {@code pow}, …). */
    public String symbol() {
        return symbol;
    }

    /** Whether this primitive is written between its operands ({@code a + b}) rather than called. */
    public boolean isInfix() {
        return this == ADD || this == SUB || this == MUL || this == DIV;
    }

    /** The primitive with this ordinal; the compact form used by tapes. */
    public static Op ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * Whether this primitive exists only inside the engine ({@link #CONTRIBUTION}, {@link
     * #QUOTIENT_CONTRIBUTION}: steps of a recorded reverse sweep), not in the formula language.
     */
    public boolean internal() {
        return this == CONTRIBUTION || this == QUOTIENT_CONTRIBUTION;
    }

    /** The primitive called by this function name in formulas ({@code "sin"}), or null. */
    public static Op ofFunctionName(String name) {
        for (Op op : VALUES) {
            if (!op.isInfix() && op != NEG && !op.internal() && op.symbol.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
