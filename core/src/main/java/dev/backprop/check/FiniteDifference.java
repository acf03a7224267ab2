package dev.backprop.check;

import dev.backprop.graph.Program;
import java.util.function.ToDoubleFunction;

/**
 * Finite-difference estimates of partial derivatives: the independent check on backpropagation.
 *
 * <p>{@link #forward} is what notebook 7.1 does ({@code (f(x + h) − f(x)) / h}, step 1e-5): error
 * of order h. {@link #central} ({@code (f(x + h) − f(x − h)) / 2h}) has error of order h², so it is
 * the default for checks.
 */
public final class FiniteDifference {
    /** The notebook's step for forward differences. */
    public static final double NOTEBOOK_STEP = 1e-5;

    private FiniteDifference() {
    }

    /** Forward difference of {@code f} in coordinate {@code i} of {@code x} with step {@code h}. */
    public static double forward(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
        double[] p = x.clone();
        double f0 = f.applyAsDouble(p);
        p[i] = x[i] + h;
        return (f.applyAsDouble(p) - f0) / h;
    }

    /** Central difference of {@code f} in coordinate {@code i} of {@code x} with step {@code h}. */
    public static double central(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
        double[] p = x.clone();
        p[i] = x[i] + h;
        double up = f.applyAsDouble(p);
        p[i] = x[i] - h;
        double down = f.applyAsDouble(p);
        return (up - down) / (2 * h);
    }

    /**
     * A central difference and the part of it rounding alone can account for: {@code f} is
     * computed in doubles, so where |f| is large, f(x + h) − f(x − h) carries an error of a few ulps
     * of |f| whatever the true derivative, and dividing by 2h magnifies it.
     *
     * @param value         {@code (f(x + h) − f(x − h)) / 2h}
     * @param roundingError a bound on the error rounding of f's values can cause: 8 ulps of the
     *                      larger of |f(x ± h)|, over 2h
     */
    public record Estimate(double value, double roundingError) {
    }

    /** {@link #central} with its {@link Estimate#roundingError()}. */
    public static Estimate centralEstimate(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
        double[] p = x.clone();
        p[i] = x[i] + h;
        double up = f.applyAsDouble(p);
        p[i] = x[i] - h;
        double down = f.applyAsDouble(p);
        double big = Math.max(Math.abs(up), Math.abs(down));
        return new Estimate((up - down) / (2 * h), 8 * Math.ulp(big) / (2 * h));
    }

    /**
     * A step for central differences at {@code x}: about the cube root of machine epsilon, scaled
     * by |x|, which balances truncation error against rounding error.
     */
    public static double centralStep(double x) {
        return 6.055454452393343e-6 * Math.max(1, Math.abs(x));
    }

    /** A program's output as a function of its inputs (in {@link Program#inputs()} order). */
    public static ToDoubleFunction<double[]> of(Program program) {
        return x -> program.evaluate(x).value();
    }
}
