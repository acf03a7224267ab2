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
 * <p>Conventions at kinks follow PyTorch: {@code relu'(0) = 0}, {@code abs'(0) = 0}; for
 * {@code max}/{@code min} a tie sends the whole gradient to the first argument.
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
        public double partial(int arg, double a, double b, double y) { return arg == 0 ? 1 / b : -a / (b * b); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) {
            return arg == 0 ? s.div(s.constant(1), b) : s.neg(s.div(a, s.mul(b, b)));
        }
    },
    NEG("-", 1) {
        public double apply(double a, double b) { return -a; }
        public double partial(int arg, double a, double b, double y) { return -1; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(-1); }
    },
    /** a^b. As in PyTorch, the exponent's derivative is 0 where a = 0 and b ≥ 0 (not NaN from log 0). */
    POW("pow", 2) {
        public double apply(double a, double b) { return Math.pow(a, b); }
        public double partial(int arg, double a, double b, double y) {
            if (arg == 0) {
                return b == 0 ? 0 : b * Math.pow(a, b - 1);
            }
            return a == 0 ? y * 0 : y * Math.log(a); // y·log 1: 0 for b ≥ 0, NaN where y = ∞
        }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) {
            return arg == 0
                    ? s.mul(b, s.apply(POW, a, s.sub(b, s.constant(1))))
                    : s.mul(y, s.apply(LOG, s.zeroAsOne(a)));
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
    },
    SQRT("sqrt", 1) {
        public double apply(double a, double b) { return Math.sqrt(a); }
        public double partial(int arg, double a, double b, double y) { return 0.5 / y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.div(s.constant(0.5), y); }
    },
    TANH("tanh", 1) {
        public double apply(double a, double b) { return Math.tanh(a); }
        public double partial(int arg, double a, double b, double y) { return 1 - y * y; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.sub(s.constant(1), s.mul(y, y)); }
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
        public double apply(double a, double b) { return a > 0 ? a : 0; }
        public double partial(int arg, double a, double b, double y) { return a > 0 ? 1 : 0; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(STEP, a); }
    },
    ABS("abs", 1) {
        public double apply(double a, double b) { return Math.abs(a); }
        public double partial(int arg, double a, double b, double y) { return Math.signum(a); }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.apply(SIGN, a); }
    },
    MAX("max", 2) {
        public double apply(double a, double b) { return Math.max(a, b); }
        public double partial(int arg, double a, double b, double y) {
            double toB = b > a ? 1 : 0;
            return arg == 0 ? 1 - toB : toB;
        }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) {
            E toB = s.apply(STEP, s.sub(b, a));
            return arg == 0 ? s.sub(s.constant(1), toB) : toB;
        }
    },
    MIN("min", 2) {
        public double apply(double a, double b) { return Math.min(a, b); }
        public double partial(int arg, double a, double b, double y) {
            double toB = b < a ? 1 : 0;
            return arg == 0 ? 1 - toB : toB;
        }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) {
            E toB = s.apply(STEP, s.sub(a, b));
            return arg == 0 ? s.sub(s.constant(1), toB) : toB;
        }
    },
    /** Heaviside step, 1 where a &gt; 0 else 0: the derivative of relu, written as a primitive so
     *  closed forms of relu, max and min can be printed and evaluated. Its own derivative is 0. */
    STEP("step", 1) {
        public double apply(double a, double b) { return a > 0 ? 1 : 0; }
        public double partial(int arg, double a, double b, double y) { return 0; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(0); }
    },
    /** −1, 0 or 1: the derivative of abs. Its own derivative is 0. */
    SIGN("sign", 1) {
        public double apply(double a, double b) { return Math.signum(a); }
        public double partial(int arg, double a, double b, double y) { return 0; }
        public <E> E partial(int arg, Algebra<E> s, E a, E b, E y) { return s.constant(0); }
    };

    private static final Op[] VALUES = values();

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
