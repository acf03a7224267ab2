package dev.backprop.cli;

import dev.backprop.formula.Formula;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.io.Numbers;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading what users type: formulas (inline, {@code @file} or {@code -}), {@code --at} and {@code --wrt}. */
final class Inputs {
    /** Where the formula being compiled came from, for error messages ("" when inline). */
    private static final ThreadLocal<String> ORIGIN = ThreadLocal.withInitial(() -> "");

    private Inputs() {
    }

    static String origin() {
        return ORIGIN.get();
    }

    /**
     * Reads and compiles FORMULA: literal text, {@code @path} or {@code -} for standard input. A
     * file or standard input is read as UTF-8 with a bound (see {@link Limits#readText}); a leading
     * byte-order mark is dropped.
     */
    static Formula formula(String arg) {
        String source;
        try {
            if (arg.equals("-")) {
                ORIGIN.set("<stdin>:");
                source = Limits.readText(System.in, "<stdin>");
            } else if (arg.startsWith("@")) {
                if (arg.length() == 1) {
                    throw new BadInput("FORMULA '@' names no file; write @FILE, as in @loss.txt");
                }
                Path p = Path.of(arg.substring(1));
                ORIGIN.set(p + ":");
                source = Limits.readText(p, p.toString());
            } else {
                ORIGIN.set("");
                source = arg;
            }
        } catch (DataException e) {
            throw new BadInput("cannot read the formula: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInput("cannot read the formula from standard input: " + e.getMessage());
        } catch (InvalidPathException e) {
            throw new BadInput("FORMULA " + Limits.quote(arg) + ": not a file name: " + e.getReason());
        }
        Formula f = Formula.compile(source);
        ORIGIN.set("");
        return f;
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
                throw new BadInput(option + " expects " + form + ", got " + Limits.quote(s));
            }
            String name = s.substring(0, eq).trim();
            String text = s.substring(eq + 1).trim();
            double v;
            try {
                v = Numbers.parseArgument(text);
            } catch (NumberFormatException e) {
                throw new BadInput(option + " " + Limits.quote(name) + ": " + Limits.quote(text) + " " + e.getMessage()
                        + " (numbers are written as in a CSV cell: 2, -0.5, 1e-3, nan, inf, -inf; or pi, e)");
            }
            putOnce(m, Map.of(name, v), option);
        }
        return m;
    }

    /** Adds {@code part} to {@code m}; a name given twice is bad input. */
    static void putOnce(Map<String, Double> m, Map<String, Double> part, String option) {
        for (Map.Entry<String, Double> e : part.entrySet()) {
            if (m.put(e.getKey(), e.getValue()) != null) {
                throw new BadInput(option + " gives " + Limits.quote(e.getKey()) + " twice");
            }
        }
    }

    /** The point: every input of the formula needs a value, and every value an input. */
    static Map<String, Double> point(Formula f, List<String> at) {
        Map<String, Double> given = assignments(at);
        requireInputs(f, given.keySet(), "--at");
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

    /** Each of {@code names} must be an input of {@code f}; {@code option} names where they came from. */
    static void requireInputs(Formula f, Collection<String> names, String option) {
        Set<String> inputs = new HashSet<>(f.inputs());
        for (String name : names) {
            if (!inputs.contains(name)) {
                throw new BadInput(option + " names " + Limits.quote(name) + ", which is not an input of the formula (inputs: "
                        + Limits.list(f.inputs()) + ")");
            }
        }
    }

    /** The inputs to differentiate with respect to: {@code --wrt} or, by default, all of them. */
    static List<String> wrt(Formula f, List<String> wrt) {
        if (wrt == null || wrt.isEmpty()) {
            return f.inputs();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String group : wrt) {
            for (String item : group.split(",")) {
                String s = item.trim();
                if (!s.isEmpty()) {
                    names.add(s);
                }
            }
        }
        if (names.isEmpty()) {
            throw new BadInput("--wrt names no input; give NAME[,NAME...] (inputs: " + Limits.list(f.inputs()) + ")");
        }
        requireInputs(f, names, "--wrt");
        return new ArrayList<>(names);
    }
}
