package dev.backprop.fit;

/** A {@link Problem} that also gives the Hessian of its loss, which Newton's method needs. */
public interface SecondOrderProblem extends Problem {
    /** {@link #loss(int[], double[], double[])}, and the Hessian of that loss into {@code hessian}. */
    double loss(int[] rows, double[] params, double[] gradient, double[][] hessian);
}
