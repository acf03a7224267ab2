package dev.backprop.bench;

import dev.backprop.book.ToyTiming;
import dev.backprop.io.Columns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toy-model workload shared by every toy benchmark: the notebook's loss, its parameters, and N
 * points with x and y uniform in [−2, 2], exactly those of {@link ToyTiming#data(int)}
 * ({@code backprop bench}).
 *
 * <p>Those points are drawn with the numpy-compatible {@code RandomState} seeded with 0, x and y
 * alternately, so they are bit for bit the arrays {@code bench/torch_toy.py} gets from
 * {@code np.random.seed(0); u = np.random.uniform(-2, 2, 2 * n); x, y = u[0::2], u[1::2]}: both
 * sides sum the same numbers.
 */
public final class ToyData {
    /** The benchmarks' N. */
    public static final int N = 1_000_000;

    /** The parameter names in the order {@link FusedToyLoop} takes them: β0..β3 then ω0..ω3. */
    public static final List<String> PARAMETERS = List.of(
            "beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3");

    /**
     * The direction v of the second-order and forward-mode rows ({@link ToyModes}), in {@link
     * #PARAMETERS} order: every component nonzero and of a different size, so a component mixed up
     * with another shows. {@code bench/torch_modes.py} has the same numbers.
     */
    public static final List<Double> DIRECTION = List.of(0.5, -0.25, 0.125, 1.0, -1.0, 0.75, -0.5, 0.25);

    private final Columns columns;
    private final double[] x;
    private final double[] y;

    private ToyData(Columns columns) {
        this.columns = columns;
        this.x = columns.column("x");
        this.y = columns.column("y");
    }

    /** N seeded points. */
    public static ToyData generate(int n) {
        return new ToyData(ToyTiming.data(n));
    }

    /** The number of points. */
    public int n() {
        return x.length;
    }

    /** The x values: this object's own array, for the peer's inner loop (do not write to it). */
    double[] x() {
        return x;
    }

    /** The y values: this object's own array (do not write to it). */
    double[] y() {
        return y;
    }

    /** The points as columns named {@code x} and {@code y}. */
    public Columns columns() {
        return columns;
    }

    /** The notebook's parameters by name: β = (1, 2, −3, 0.4), ω = (0.1, −0.4, 2, 3). */
    public static Map<String, Double> parameterMap() {
        return ToyTiming.parameters();
    }

    /** {@link #DIRECTION} by parameter name. */
    public static Map<String, Double> direction() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < PARAMETERS.size(); k++) {
            m.put(PARAMETERS.get(k), DIRECTION.get(k));
        }
        return m;
    }

    /** The notebook's parameters in {@link #PARAMETERS} order (a fresh array). */
    public static double[] parameters() {
        Map<String, Double> m = parameterMap();
        return PARAMETERS.stream().mapToDouble(m::get).toArray();
    }
}
