package dev.backprop.cli;

import dev.backprop.formula.Formula;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading what users type: formulas (inline, {@code @file} or {@code -}), {@code --at} and {@code --wrt}. */
final class Inputs {
    /** Where the formula being compiled came from, for error messages ("" when inline). */
    private static final ThreadLocal<String> ORIGIN = ThreadLocal.withInitial(() -> "");

    private Inputs() {
    }

    static String origin() {
        return ORIGIN.get();
    }

    /** Reads and compiles FORMULA: literal text, {@code @path} or {@code -} for standard input. */
    static Formula formula(String arg) {
        String source;
        if (arg.equals("-")) {
            ORIGIN.set("<stdin>:");
            source = read(System.in);
        } else if (arg.startsWith("@")) {
            Path p = Path.of(arg.substring(1));
            ORIGIN.set(p + ":");
            try {
                source = Files.readString(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new BadInput("cannot read formula file '" + p + "': no such file");
            } catch (IOException e) {
                throw new BadInput("cannot read formula file '" + p + "': " + e.getMessage());
            }
        } else {
            ORIGIN.set("");
            source = arg;
        }
        Formula f = Formula.compile(source);
        ORIGIN.set("");
        return f;
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInput("cannot read the formula from standard input: " + e.getMessage());
        }
    }

    /** Parses repeated {@code --at NAME=VALUE[,NAME=VALUE…]} into one map, in order. */
    static Map<String, Double> assignments(List<String> at) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (at == null) {
            return m;
        }
        for (String group : at) {
            putOnce(m, assignments("--at", "NAME=VALUE", group), "--at");
        }
        return m;
    }

    /**
     * One group {@code NAME=VALUE[,NAME=VALUE…]} of option {@code option}; {@code form} is what the
     * option accepts, for the error message.
     */
    static Map<String, Double> assignments(String option, String form, String group) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String item : group.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BadInput(option + " expects " + form + ", got '" + s + "'");
            }
            String name = s.substring(0, eq).trim();
            String text = s.substring(eq + 1).trim();
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new BadInput(option + " " + name + ": '" + text + "' is not a number");
            }
            putOnce(m, Map.of(name, v), option);
        }
        return m;
    }

    /** Adds {@code part} to {@code m}; a name given twice is bad input. */
    static void putOnce(Map<String, Double> m, Map<String, Double> part, String option) {
        for (Map.Entry<String, Double> e : part.entrySet()) {
            if (m.put(e.getKey(), e.getValue()) != null) {
                throw new BadInput(option + " gives '" + e.getKey() + "' twice");
            }
        }
    }

    /** The point: every input of the formula needs a value, and every value an input. */
    static Map<String, Double> point(Formula f, List<String> at) {
        Map<String, Double> given = assignments(at);
        for (String name : given.keySet()) {
            if (!f.inputs().contains(name)) {
                throw new BadInput("--at names '" + name + "', which is not an input of the formula (inputs: "
                        + String.join(", ", f.inputs()) + ")");
            }
        }
        Map<String, Double> point = new LinkedHashMap<>();
        for (String name : f.inputs()) {
            Double v = given.get(name);
            if (v == null) {
                throw new BadInput("missing value for input '" + name + "' (give it with --at " + name + "=VALUE)");
            }
            point.put(name, v);
        }
        return point;
    }

    /** The inputs to differentiate with respect to: {@code --wrt} or, by default, all of them. */
    static List<String> wrt(Formula f, List<String> wrt) {
        if (wrt == null || wrt.isEmpty()) {
            return f.inputs();
        }
        List<String> names = new ArrayList<>();
        for (String group : wrt) {
            for (String item : group.split(",")) {
                String s = item.trim();
                if (s.isEmpty()) {
                    continue;
                }
                if (!f.inputs().contains(s)) {
                    throw new BadInput("--wrt names '" + s + "', which is not an input of the formula (inputs: "
                            + String.join(", ", f.inputs()) + ")");
                }
                if (!names.contains(s)) {
                    names.add(s);
                }
            }
        }
        return names;
    }
}
