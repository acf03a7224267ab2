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

    /** Characters of the source line shown on each side of the error (a long line is cut, with "…"). */
    static final int WINDOW = 40;

    /** An error at offset {@code offset} of {@code src}, whose line begins at {@code lineStart}. */
    static FormulaException at(String src, int lineStart, int offset, int line, int column, String detail) {
        int end = src.indexOf('\n', lineStart);
        if (end < 0) {
            end = src.length();
        }
        if (end > lineStart && src.charAt(end - 1) == '\r') {
            end--;
        }
        int at = Math.min(Math.max(offset, lineStart), end);
        // A window of the line around the error, so a 50 MB line gives a short message.
        int from = lineStart;
        if (at - lineStart > WINDOW && src.codePointCount(lineStart, at) > WINDOW) {
            from = src.offsetByCodePoints(at, -WINDOW);
        }
        int to = end;
        if (end - at > WINDOW && src.codePointCount(at, end) > WINDOW) {
            to = src.offsetByCodePoints(at, WINDOW);
        }
        String prefix = from > lineStart ? "…" : "";
        String text = prefix + src.substring(from, to) + (to < end ? "…" : "");
        StringBuilder caret = new StringBuilder(prefix.isEmpty() ? "" : " ");
        // Keep tabs as tabs so the caret lines up under the column whatever the tab width.
        for (int i = from; i < at; ) {
            int c = src.codePointAt(i);
            caret.append(c == '\t' ? '\t' : ' ');
            i += Character.charCount(c);
        }
        caret.append('^');
        return new FormulaException(line, column, detail, text, caret.toString());
    }

    /**
     * A name or other piece of the user's text, quoted for a message and cut to 40 characters:
     * {@code 'abc'}, or {@code 'abcdef…' (1000000 characters)}.
     */
    static String quote(String s) {
        if (s.length() <= WINDOW) {
            return "'" + s + "'";
        }
        int cut = Character.isHighSurrogate(s.charAt(WINDOW - 1)) ? WINDOW - 1 : WINDOW;
        return "'" + s.substring(0, cut) + "…' (" + s.length() + " characters)";
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

    /**
     * The source line holding the error, without its line break; a long line only around the
     * error (40 characters each side), cut with "…".
     */
    public String sourceLine() {
        return sourceLine;
    }

    /** Spaces (tabs where the source has tabs) then {@code ^} under the offending column. */
    public String caret() {
        return caret;
    }
}
