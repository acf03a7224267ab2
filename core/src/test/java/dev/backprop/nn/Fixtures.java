package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.tensor.Tensor;
import dev.backprop.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the numpy fixtures of make_reference.py and comparing tensors with them. */
final class Fixtures {
    private Fixtures() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) {
        return (Map<String, Object>) Json.resource("/nn/" + name + ".json");
    }

    /** A list of matrices (each a JSON array of rows). */
    static List<Tensor> matrices(Map<String, Object> fx, String key) {
        List<Tensor> out = new ArrayList<>();
        for (Object m : (List<?>) fx.get(key)) {
            out.add(Tensor.matrix(Json.matrix(m)));
        }
        return out;
    }

    static Network network(Map<String, Object> fx) {
        return new Network(matrices(fx, "weights"), matrices(fx, "biases"));
    }

    static double number(Map<String, Object> fx, String key) {
        return (Double) fx.get(key);
    }

    /** Same shape and every element within {@code rel} of the reference, relative to the larger of |ref| and 1e-12. */
    static void assertClose(String what, Tensor actual, Tensor expected, double rel) {
        assertThat(actual.shape()).as("%s: shape", what).isEqualTo(expected.shape());
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.at(i);
            assertThat(Math.abs(actual.at(i) - e)).as("%s[%d]: %s vs reference %s", what, i, actual.at(i), e)
                    .isLessThanOrEqualTo(rel * Math.max(Math.abs(e), 1e-12));
        }
    }

    static void assertClose(String what, List<Tensor> actual, List<Tensor> expected, double rel) {
        assertThat(actual).as("%s: count", what).hasSize(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            assertClose(what + " " + k, actual.get(k), expected.get(k), rel);
        }
    }
}
