package dev.backprop.formula;

/**
 * Splits formula text into tokens, one at a time, tracking line and column (1-based, counted in
 * code points so {@code β0} is one column per letter). Tokens are produced on demand so a
 * million-term sum never needs a million-token list.
 *
 * <p>It reads what the tool prints and what people paste from the book: {@code ·} (and {@code ⋅},
 * {@code ×}) for {@code *}, {@code ÷} for {@code /}, {@code −} (U+2212, the minus sign) for
 * {@code -}, superscript digits as a power ({@code x²} is {@code x^2}, {@code x⁻¹} is
 * {@code x^-1}), {@code π} for {@code pi}, and a byte-order mark at the very start. Inside
 * parentheses a line break is only space, so a long expression may continue on the next line; a
 * token that begins such a continued line says so ({@link Token#continued}), for error messages.
 */
final class Lexer {

    enum Kind { NUMBER, NAME, PLUS, MINUS, STAR, SLASH, CARET, LPAREN, RPAREN, COMMA, EQUALS, SEMI, NEWLINE, EOF, ERROR }

    /**
     * One token. {@code start}/{@code end} are offsets into the source; {@code lineStart} is the
     * offset where the token's line begins (for error messages).
     */
    record Token(Kind kind, int start, int end, int line, int column, int lineStart, String text, double number,
                 boolean continued) {

        /** How the token is named in "expected … but found X". */
        String describe() {
            switch (kind) {
                case NEWLINE: return "end of line";
                case EOF: return "end of input";
                default: return FormulaException.quote(text);
            }
        }

        boolean endsStatement() {
            return kind == Kind.SEMI || kind == Kind.NEWLINE || kind == Kind.EOF;
        }
    }

    private final String src;
    /** In lenient mode an unexpected character becomes an ERROR token instead of an exception. */
    private final boolean lenient;
    private int pos;
    private int line = 1;
    private int col = 1;
    private int lineStart;
    private Token peeked;
    private Token peeked2;
    /** The exponent of a superscript power, due right after its '^'. */
    private Token pending;
    /** Open parentheses: inside them a line break does not end the statement. */
    private int parens;
    /** Whether the token being scanned follows a line break skipped inside parentheses. */
    private boolean continued;

    Lexer(String src, boolean lenient) {
        this.src = src;
        this.lenient = lenient;
        // An editor's byte-order mark: not part of the first line, so columns count from after it.
        if (src.startsWith("\uFEFF")) {
            pos = 1;
            lineStart = 1;
        }
    }

    /** A lexer that starts at token {@code from} of {@code src} (a function body, read again where it is called). */
    Lexer(String src, Token from) {
        this(src, false);
        this.pos = from.start();
        this.line = from.line();
        this.lineStart = from.lineStart();
        this.col = from.column();
    }

    /** The next token without consuming it. */
    Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    /** The token after {@link #peek()}, without consuming either. */
    Token peekSecond() {
        peek();
        if (peeked2 == null) {
            peeked2 = scan();
        }
        return peeked2;
    }

    /** Consumes and returns the next token. */
    Token next() {
        Token t = peek();
        peeked = peeked2;
        peeked2 = null;
        return t;
    }

    private Token scan() {
        if (pending != null) {
            Token t = pending;
            pending = null;
            return t;
        }
        continued = false;
        // Where a trailing comment began: an "end of line" is reported there, just after the code.
        int commentPos = -1;
        int commentCol = 0;
        while (pos < src.length()) {
            int c = src.codePointAt(pos);
            if (c == '\n') {
                if (parens == 0) {
                    break;
                }
                newline();
                commentPos = -1;
                continued = true;
                continue;
            }
            if (c == '#') {
                commentPos = pos;
                commentCol = col;
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance();
                }
                continue;
            }
            if (!isSpace(c)) {
                break;
            }
            advance();
        }
        if (pos >= src.length()) {
            return commentPos >= 0
                    ? token(Kind.EOF, commentPos, commentPos, commentCol, "")
                    : token(Kind.EOF, pos, pos, col, "");
        }
        int start = pos;
        int startCol = col;
        int c = src.codePointAt(pos);
        if (c == '\n') {
            Token t = commentPos >= 0
                    ? token(Kind.NEWLINE, commentPos, commentPos, commentCol, "\n")
                    : token(Kind.NEWLINE, start, start + 1, startCol, "\n");
            newline();
            return t;
        }
        if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            return number(start, startCol);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length()) {
                int d = src.codePointAt(pos);
                // Subscript digits too, for the book's β₀ and f₀.
                if (!(Character.isLetterOrDigit(d) || d == '_' || (d >= '\u2080' && d <= '\u2089'))) {
                    break;
                }
                advance();
            }
            String name = src.substring(start, pos);
            return token(Kind.NAME, start, pos, startCol, name.equals("π") ? "pi" : name);
        }
        if (superscript(c) >= 0 || c == '⁻') {
            return power(start, startCol);
        }
        advance();
        switch (c) {
            case '+': return token(Kind.PLUS, start, pos, startCol, "+");
            case '-', '−': return token(Kind.MINUS, start, pos, startCol, text(start));
            case '/', '÷': return token(Kind.SLASH, start, pos, startCol, text(start));
            case '·', '⋅', '×': return token(Kind.STAR, start, pos, startCol, text(start));
            case '^': return token(Kind.CARET, start, pos, startCol, "^");
            case '(':
                parens++;
                return token(Kind.LPAREN, start, pos, startCol, "(");
            case ')':
                parens = Math.max(0, parens - 1);
                return token(Kind.RPAREN, start, pos, startCol, ")");
            case ',': return token(Kind.COMMA, start, pos, startCol, ",");
            case '=': return token(Kind.EQUALS, start, pos, startCol, "=");
            case ';': return token(Kind.SEMI, start, pos, startCol, ";");
            case '*':
                if (pos < src.length() && src.charAt(pos) == '*') {
                    advance();
                    return token(Kind.CARET, start, pos, startCol, "**");
                }
                return token(Kind.STAR, start, pos, startCol, "*");
            default:
                Token bad = token(Kind.ERROR, start, pos, startCol, src.substring(start, pos));
                if (lenient) {
                    return bad;
                }
                throw error(bad, "unexpected character " + showChar(c));
        }
    }

    private Token number(int start, int startCol) {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            advance();
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            advance();
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                advance();
            }
        }
        // An exponent only if digits follow, so "2e" stays the number 2 then the name e.
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int q = pos + 1;
            if (q < src.length() && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
                q++;
            }
            if (q < src.length() && isDigit(src.charAt(q))) {
                while (pos < q) {
                    advance();
                }
                while (pos < src.length() && isDigit(src.charAt(pos))) {
                    advance();
                }
            }
        }
        String text = src.substring(start, pos);
        return checkFinite(new Token(Kind.NUMBER, start, pos, line, startCol, lineStart, text, Double.parseDouble(text), continued));
    }

    /**
     * A run of superscript digits, perhaps after a superscript minus: a '^' (of no width, so a
     * message about it points at the superscript) and, next, the exponent as a number.
     */
    private Token power(int start, int startCol) {
        StringBuilder digits = new StringBuilder();
        if (src.codePointAt(pos) == '⁻') {
            digits.append('-');
            advance();
        }
        while (pos < src.length() && superscript(src.codePointAt(pos)) >= 0) {
            digits.append((char) ('0' + superscript(src.codePointAt(pos))));
            advance();
        }
        String text = src.substring(start, pos);
        Token caret = new Token(Kind.CARET, start, start, line, startCol, lineStart, text, 0, continued);
        if (digits.length() == 0 || digits.charAt(digits.length() - 1) == '-') {
            Token bad = new Token(Kind.ERROR, start, pos, line, startCol, lineStart, text, 0, continued);
            if (lenient) {
                return bad;
            }
            throw error(bad, "'⁻' must be followed by superscript digits, as in x⁻¹");
        }
        pending = checkFinite(new Token(Kind.NUMBER, start, pos, line, startCol, lineStart, text,
                Double.parseDouble(digits.toString()), false));
        return caret;
    }

    /** The value of superscript digit {@code c} (⁰ to ⁹), or -1. */
    private static int superscript(int c) {
        switch (c) {
            case '⁰': return 0;
            case '¹': return 1;
            case '²': return 2;
            case '³': return 3;
            default: return c >= '⁴' && c <= '⁹' ? c - '⁴' + 4 : -1;
        }
    }

    private Token checkFinite(Token t) {
        String text = t.text();
        if (Double.isInfinite(t.number())) {
            if (lenient) {
                return t;
            }
            throw error(t, "the number " + FormulaException.quote(text) + " is too large for a double (the largest is about 1.8e308)");
        }
        return t;
    }

    private Token token(Kind kind, int start, int end, int column, String text) {
        return new Token(kind, start, end, line, column, lineStart, text, 0, continued);
    }

    /** The character at {@code start}, as written. */
    private String text(int start) {
        return src.substring(start, pos);
    }

    private void newline() {
        advance();
        line++;
        col = 1;
        lineStart = pos;
    }

    private void advance() {
        pos += Character.charCount(src.codePointAt(pos));
        col++;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * A character for a message: itself when it can be seen, else its code point and, where Java
     * knows it, its name: {@code U+200B (ZERO WIDTH SPACE)}, {@code U+FEFF (ZERO WIDTH NO-BREAK SPACE)}.
     */
    static String showChar(int c) {
        int type = Character.getType(c);
        boolean invisible = Character.isISOControl(c) || isSpace(c) || !Character.isDefined(c)
                || type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.SURROGATE || type == Character.PRIVATE_USE;
        if (!invisible) {
            return "'" + new String(Character.toChars(c)) + "'";
        }
        String code = String.format("U+%04X", c);
        String name = type == Character.CONTROL || type == Character.UNASSIGNED ? null : Character.getName(c);
        return name == null ? code : code + " (" + name + ")";
    }

    /** An error located at {@code t}. */
    FormulaException error(Token t, String detail) {
        return FormulaException.at(src, t.lineStart(), t.start(), t.line(), t.column(), detail);
    }
}
