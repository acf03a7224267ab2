package dev.backprop.random;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the files written by {@code src/test/resources/random/make_fixtures.py}. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * One line of a stream: a call, its arguments, numpy's results, and where numpy's libm log
     * misrounded, the value a correctly rounded log gives (index to value).
     */
    record Call(int line, String name, String[] args, String[] results, List<Deviation> deviations) {
        @Override
        public String toString() {
            return "line " + line + ": " + name + " " + String.join(" ", args);
        }
    }

    /** numpy's value at {@code index} and the value the correctly rounded log gives there. */
    record Deviation(int index, double numpy, double correctlyRounded) {
    }

    static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/random/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /random/" + name + "; run make_fixtures.py");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Call> calls(String name) {
        List<Call> calls = new ArrayList<>();
        List<String> lines = lines(name);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] tokens = text.split(" ");
            if (tokens[0].equals("libm")) {
                calls.get(calls.size() - 1).deviations().add(new Deviation(
                        Integer.parseInt(tokens[1]), Double.parseDouble(tokens[2]), Double.parseDouble(tokens[3])));
                continue;
            }
            int arrow = Arrays.asList(tokens).indexOf("->");
            String[] args = arrow < 0 ? Arrays.copyOfRange(tokens, 1, tokens.length) : Arrays.copyOfRange(tokens, 1, arrow);
            String[] results = arrow < 0 ? new String[0] : Arrays.copyOfRange(tokens, arrow + 1, tokens.length);
            calls.add(new Call(i + 1, tokens[0], args, results, new ArrayList<>()));
        }
        return calls;
    }
}
