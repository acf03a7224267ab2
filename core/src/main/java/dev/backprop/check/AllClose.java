package dev.backprop.check;

/**
 * numpy's {@code allclose}/{@code isclose} rule: {@code |a − b| ≤ atol + rtol·|b|}, where {@code b}
 * is the reference. As in numpy, NaN is never close to anything and infinities are close only to
 * themselves.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 */
public record AllClose(double rtol, double atol) {
    /** numpy's defaults: rtol 1e-5, atol 1e-8. */
    public static final AllClose NUMPY = new AllClose(1e-5, 1e-8);

    /** Validates the tolerances. */
    public AllClose {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative numbers, got rtol "
                    + rtol + " and atol " + atol);
        }
    }

    /** Whether {@code actual} is close to the reference {@code expected}. */
    public boolean isClose(double actual, double expected) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return false;
        }
        if (Double.isInfinite(actual) || Double.isInfinite(expected)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /** Whether every element is close to its reference; arrays of different lengths never are. */
    public boolean allClose(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (!isClose(actual[i], expected[i])) {
                return false;
            }
        }
        return true;
    }
}
