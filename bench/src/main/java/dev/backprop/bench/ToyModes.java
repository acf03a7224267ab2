package dev.backprop.bench;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.book.ToyTiming;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import java.util.List;
import java.util.Map;

/**
 * The toy loss summed over data in every mode of differentiation, each compiled once by the batch
 * engine the way a user of the library would write it:
 *
 * <ul>
 *   <li>Hessian times v: {@code BatchProgram.compile(program.directionalDerivative(v), columns)
 *       .gradient(…)}, the gradient of the recorded forward-mode sweep (reverse over forward);
 *   <li>the full 8×8 Hessian, two ways: eight such programs along the unit vectors, or the eight
 *       programs {@code program.derivative(name)} (reverse over reverse), each one batch gradient;
 *   <li>the Jacobian-vector product: the value of the directional program, summed.
 * </ul>
 *
 * <p>Nothing is compiled inside the calls: what they cost is what a caller pays per evaluation.
 */
public final class ToyModes {
    private final BatchProgram loss;
    private final BatchProgram directional;
    private final BatchProgram[] unit = new BatchProgram[ToyData.PARAMETERS.size()];
    private final BatchProgram[] derivative = new BatchProgram[ToyData.PARAMETERS.size()];

    /**
     * Compiles everything on the given kernel and threads.
     *
     * @param simd    the SIMD kernel from the first call (the warm state; see {@link BatchProgram#withSimd})
     * @param threads threads per call
     */
    public ToyModes(boolean simd, int threads) {
        this.loss = ToyTiming.program().withSimd(simd).withThreads(threads);
        Program p = loss.program();
        List<String> columns = loss.columns();
        this.directional = BatchProgram.compile(p.directionalDerivative(ToyData.direction()), columns)
                .withSimd(simd).withThreads(threads);
        for (int k = 0; k < unit.length; k++) {
            String name = ToyData.PARAMETERS.get(k);
            unit[k] = BatchProgram.compile(p.directionalDerivative(Map.of(name, 1.0)), columns)
                    .withSimd(simd).withThreads(threads);
            derivative[k] = BatchProgram.compile(p.derivative(name), columns).withSimd(simd).withThreads(threads);
        }
    }

    /** The loss program (for the loss and gradient rows measured beside these). */
    public BatchProgram loss() {
        return loss;
    }

    /** The compiled directional-derivative program along {@link ToyData#DIRECTION}. */
    public BatchProgram directional() {
        return directional;
    }

    /** H·v summed over the points, in {@link ToyData#PARAMETERS} order. */
    public double[] hvp(Columns data, Map<String, Double> parameters) {
        return ordered(directional.gradient(data, parameters));
    }

    /** The directional derivative along v summed over the points (the JVP). */
    public double jvp(Columns data, Map<String, Double> parameters) {
        return directional.value(data, parameters).sum();
    }

    /** The 8×8 Hessian of the summed loss, row k the gradient of the derivative along e_k. */
    public double[][] hessianByDirections(Columns data, Map<String, Double> parameters) {
        double[][] h = new double[unit.length][];
        for (int k = 0; k < unit.length; k++) {
            h[k] = ordered(unit[k].gradient(data, parameters));
        }
        return h;
    }

    /** The same Hessian, row k the gradient of {@code program.derivative(parameter k)}. */
    public double[][] hessianByDerivatives(Columns data, Map<String, Double> parameters) {
        double[][] h = new double[derivative.length][];
        for (int k = 0; k < derivative.length; k++) {
            h[k] = ordered(derivative[k].gradient(data, parameters));
        }
        return h;
    }

    private static double[] ordered(BatchResult r) {
        return ToyData.PARAMETERS.stream().mapToDouble(name -> r.gradient().get(name)).toArray();
    }
}
