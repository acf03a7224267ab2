package dev.backprop.cli;

import dev.backprop.io.JsonWriter;

/**
 * JSON output for the commands: {@link JsonWriter}, the core's writer, so a network file written
 * by {@code train --out} and by the Java API is the same text. Doubles print with
 * {@link Double#toString}, which round-trips exactly; NaN and the infinities, which strict JSON
 * cannot express, print as {@code NaN}, {@code Infinity} and {@code -Infinity}, as Python's
 * {@code json} module writes and reads them: a non-finite result is a result, and {@code null}
 * would lose which one it was.
 */
final class Json {
    private Json() {
    }

    /** Renders maps (insertion order kept), lists, arrays, strings, numbers, booleans and null. */
    static String of(Object v) {
        try {
            return JsonWriter.write(v);
        } catch (IllegalArgumentException e) {
            // A value of a type the writer does not know is this program's bug, not the user's input.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
