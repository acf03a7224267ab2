package dev.backprop.cli;

/** Bad input from the user: printed as one line on stderr, exit code 2, no stack trace. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
