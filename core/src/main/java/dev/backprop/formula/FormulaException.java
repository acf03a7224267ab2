package dev.backprop.formula;

/**
 * A formula that cannot be compiled: where (line and column, 1-based) and why, in one line.
 *
 * <p>{@link #getMessage()} reads {@code 1:7: expected ')' but found end of input};
 * {@link #sourceLine()} and {@link #caret()} let a tool show the offending line with a caret
 * under the column:
 *
 * <pre>
 * l = (f3 - y
 *            ^
 * </pre>
 */
public final class FormulaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String detail;
    private final String sourceLine;
    private final String caret;

    private FormulaException(int line, int column, String detail, String sourceLine, String caret) {
        super(line + ":" + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
        this.sourceLine = sourceLine;
        this.caret = caret;
    }

    /** An error at offset {@code offset} of {@code src}, whose line begins at {@code lineStart}. */
    static FormulaException at(String src, int lineStart, int offset, int line, int column, String detail) {
        int end = src.indexOf('\n', lineStart);
        if (end < 0) {
            end = src.length();
        }
        if (end > lineStart && src.charAt(end - 1) == '\r') {
            end--;
        }
        String text = src.substring(lineStart, end);
        StringBuilder caret = new StringBuilder();
        // Keep tabs as tabs so the caret lines up under the column whatever the tab width.
        for (int i = lineStart; i < offset && i < src.length(); ) {
            int c = src.codePointAt(i);
            caret.append(c == '\t' ? '\t' : ' ');
            i += Character.charCount(c);
        }
        caret.append('^');
        return new FormulaException(line, column, detail, text, caret.toString());
    }

    /** The line of the offending token, from 1. */
    public int line() {
        return line;
    }

    /** The column of the offending token, from 1, counted in characters (code points). */
    public int column() {
        return column;
    }

    /** What is wrong, without the position: {@code expected ')' but found end of input}. */
    public String detail() {
        return detail;
    }

    /** {@code line:column: detail}. */
    @Override
    public String getMessage() {
        return super.getMessage();
    }

    /** The source line holding the error, without its line break. */
    public String sourceLine() {
        return sourceLine;
    }

    /** Spaces (tabs where the source has tabs) then {@code ^} under the offending column. */
    public String caret() {
        return caret;
    }
}
