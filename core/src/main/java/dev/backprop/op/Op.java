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
 * ({@code exp' = y}, {@code tanh' = 1 − y²}).
 *
 * <p>Conventions at kinks and special values follow PyTorch (float64) except where noted: {@code
 * relu'(0) = 0}, {@code abs'(0) = 0}; a {@code max}/{@code min} tie gives half the gradient to each
 * argument; {@code pow(1, b) = 1} and {@code pow(−1, ±∞) = 1} (C's {@code pow}, not Java's NaN).
 * NaN in gives NaN out: {@code relu}, {@code step} and every local derivative at a NaN argument are
 * NaN, never a quiet 0. The numeric rule and the expression rule of each primitive give the same
 * number at every argument, special values included ({@code OpTest} checks a grid of them), so
 * the scalar engine, the batch engine and printed closed forms agree. How a rule's number meets
 * the incoming adjoint is {@link #contribution}, the one place for the chain rule's zero rule.
 */
public enum Op {
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
    /** A tie (a = b) gives half the gradient to each argument, as PyTorch's {@code maximum}. */
    MAX("max", 2) {
        public double apply(double a, double b) { return Math.max(a, b); }
        public double partial(int arg, double a, double b, double y) { return tieHalf(arg == 0 ? a - b : b - a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return tieHalf(s, arg == 0 ? s.sub(a, b) : s.sub(b, a)); }
    },
    /** A tie (a = b) gives half the gradient to each argument, as PyTorch's {@code minimum}. */
    MIN("min", 2) {
        public double apply(double a, double b) { return Math.min(a, b); }
        public double partial(int arg, double a, double b, double y) { return tieHalf(arg == 0 ? b - a : a - b); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return tieHalf(s, arg == 0 ? s.sub(b, a) : s.sub(a, b)); }
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

    /** {@code v + (1 − |sign v|)}: v, exactly, where v ≠ 0; 1 where v = 0; NaN where v is NaN. */
    private static <E> E zeroAsOne(Algebra<E> s, E v) {
        return s.add(v, s.sub(s.constant(1), s.apply(ABS, s.apply(SIGN, v))));
    }

    private final String symbol;
    private final int arity;

    Op(String symbol, int arity) {
        this.symbol = symbol;
        this.arity = arity;
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

    /**
     * {@code t / d}, where t is the adjoint times a quotient rule's numerator: 0 where t is 0 (an
     * exact zero adjoint or numerator, as in {@link #contribution}), else the quotient. A finite t
     * over an infinite d is 0 by division; a non-finite t over an infinite d is NaN, as the local
     * derivative n/d would have been had n been the culprit.
     */
    public static double quotientContribution(double t, double d) {
        return t == 0 ? 0 : t / d;
    }

    /** 1 or 2. */
    public int arity() {
        return arity;
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

    /** The primitive called by this function name in formulas ({@code "sin"}), or null. */
    public static Op ofFunctionName(String name) {
        for (Op op : VALUES) {
            if (!op.isInfix() && op != NEG && op.symbol.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
