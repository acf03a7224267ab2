package dev.backprop.io;

/**
 * Bad data: the message names the file and, where it applies, the line and column
 * ({@code data.csv:7:3: 'abc' is not a number (column y)}).
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A message that already names its place. */
    public DataException(String message) {
        super(message);
    }
}
