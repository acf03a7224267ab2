package dev.backprop.formula;

import dev.backprop.formula.Lexer.Kind;
import dev.backprop.formula.Lexer.Token;
import dev.backprop.graph.Program;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Compiles formula text straight onto a {@link Tape}: an operator-precedence (shunting-yard)
 * parser with explicit stacks, so nesting depth costs heap, never Java stack, and no syntax tree is
 * built. Constant subexpressions fold as the tape records them.
 *
 * <p>Grammar, loosest first: {@code + -} (left), {@code * /} (left), unary {@code - +}, then
 * {@code ^} / {@code **} (right; its exponent may itself start with a unary minus, as in Python, so
 * {@code -x^2 = -(x^2)} and {@code 2^-1 = 0.5}). Statements end at a newline or {@code ;}; inside
 * parentheses a newline is only space (the {@link Lexer} skips it), so an expression may continue
 * on the next line.
 */
final class Parser {

    /** A parsed statement: {@code name} is null for a bare last expression. */
    record Statement(String name, int start, int end, int node, int line, int[] deps) {

        /**
         * The expression as written, with every run of whitespace turned into one space and the
         * comments of lines it continues over left out.
         */
        String text(String src) {
            StringBuilder sb = new StringBuilder(end - start);
            boolean space = false;
            for (int i = start; i < end; i++) {
                char c = src.charAt(i);
                if (c == '#') {
                    while (i + 1 < end && src.charAt(i + 1) != '\n') {
                        i++;
                    }
                    space = true;
                } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                    space = true;
                } else {
                    if (space) {
                        sb.append(' ');
                        space = false;
                    }
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    /** What a successful parse produces; {@link Formula} wraps it. */
    record Result(Program program, List<Statement> statements, boolean bare, String outputName,
                  String[] userNames, Map<String, Integer> statementIndex, Set<String> names,
                  Set<String> constants) {}

    private static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, NEG = 5, PAREN = 6, CALL = 7;
    private static final int[] PREC = {1, 1, 2, 2, 4, 3};
    private static final Op[] OPS = {Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.NEG};

    /** The functions a formula may call, unary ones first, as listed in error messages. */
    static final String KNOWN_FUNCTIONS;

    static {
        StringJoiner j = new StringJoiner(", ");
        for (int arity = 1; arity <= 2; arity++) {
            for (Op op : Op.values()) {
                if (op.minArity() == arity && Op.ofFunctionName(op.symbol()) == op) {
                    j.add(op.symbol());
                }
            }
        }
        KNOWN_FUNCTIONS = j.toString();
    }

    private final String src;
    /** The functions a call may name: the built-in primitives and the user's custom functions. */
    private final Functions registry;
    private final Lexer lex;
    private final Tape tape;
    private final Map<String, Integer> assignedOnLine;
    /** The functions defined so far with {@code def}, by name. */
    private final Map<String, Def> defs;
    /** In a function body: its arguments' values; null in the program itself. */
    private final Map<String, Var> arguments;
    /** In a function body: the function's name, for messages; null in the program itself. */
    private final String defining;
    private final Map<String, Integer> statementIndex = new HashMap<>();
    private final List<Var> statementValues = new ArrayList<>();
    private final Map<String, Var> inputs = new LinkedHashMap<>();
    private final List<Statement> statements = new ArrayList<>();

    private String currentTarget;
    /**
     * The statements the current one uses, each once: a list plus, per statement, the last
     * statement that listed it. (A BitSet per statement grew with the statement's index: O(n²)
     * bits over a chain of n statements.)
     */
    private int[] currentDeps = new int[8];
    private int currentDepCount;
    private int[] listedBy = new int[16];
    private final Set<String> constants = new LinkedHashSet<>();
    private int lastStart;
    private int lastEnd;
    private Kind lastKind;

    // The operator stack, as parallel arrays: kind, argument count (calls), function, token.
    private int[] kinds = new int[16];
    private int[] counts = new int[16];
    private Rule[] functions = new Rule[16];
    private Token[] tokens = new Token[16];
    private Def[] defCalls = new Def[16];
    private int depth;
    private int open;
    private final ArrayList<Var> values = new ArrayList<>();

    private Parser(String src, Functions registry) {
        this.src = src;
        this.registry = registry;
        this.lex = new Lexer(src, false);
        this.tape = new Tape(Math.max(16, src.length() / 2));
        this.assignedOnLine = assignments(src);
        this.defs = new HashMap<>();
        this.arguments = null;
        this.defining = null;
    }

    /** A parser of one function body, from its first token, with its arguments bound to {@code arguments}. */
    private Parser(Parser outer, Def d, Map<String, Var> arguments) {
        this.registry = outer.registry;
        this.src = outer.src;
        this.lex = new Lexer(outer.src, d.body());
        this.tape = outer.tape;
        this.assignedOnLine = Map.of();
        this.defs = outer.defs;
        this.arguments = arguments;
        this.defining = d.name();
    }

    /**
     * A function defined in the formula: {@code def name(a, b) = body}. A call is the body parsed
     * again where the call stands, with its arguments bound to the call's values (so the engine
     * differentiates it like any expression: no rule of its own, every mode and engine at once).
     */
    private record Def(String name, List<String> params, Token body) {
    }

    static Result parse(String src, Functions registry) {
        return new Parser(src, registry).program();
    }

    /**
     * A first, forgiving pass over the tokens that finds every assigned name and its first line,
     * so a name used before its assignment is reported as such instead of silently becoming an
     * input.
     */
    private static Map<String, Integer> assignments(String src) {
        Map<String, Integer> assigned = new HashMap<>();
        Lexer p = new Lexer(src, true);
        boolean atStart = true;
        while (true) {
            Token t = p.next();
            if (t.kind() == Kind.EOF) {
                return assigned;
            }
            if (t.endsStatement()) {
                atStart = true;
                continue;
            }
            if (atStart && t.kind() == Kind.NAME && p.peek().kind() == Kind.EQUALS) {
                assigned.putIfAbsent(t.text(), t.line());
            }
            atStart = false;
        }
    }

    private Result program() {
        Token bare = null;
        while (true) {
            Token t = lex.peek();
            while (t.kind() == Kind.SEMI || t.kind() == Kind.NEWLINE) {
                lex.next();
                t = lex.peek();
            }
            if (t.kind() == Kind.EOF) {
                if (statements.isEmpty()) {
                    throw lex.error(t, "empty program");
                }
                break;
            }
            if (bare != null) {
                throw lex.error(bare, "only the last line can be a bare expression; give this one a name (name = ...)");
            }
            if (t.kind() == Kind.NAME && t.text().equals("def") && lex.peekSecond().kind() == Kind.NAME) {
                definition();
                continue;
            }
            String target = null;
            if (t.kind() == Kind.NAME && lex.peekSecond().kind() == Kind.EQUALS) {
                checkTarget(t);
                target = t.text();
                lex.next();
                lex.next();
            }
            Token first = lex.peek();
            currentTarget = target;
            currentDepCount = 0;
            Var v = expression();
            lex.next();
            int[] deps = Arrays.copyOf(currentDeps, currentDepCount);
            Arrays.sort(deps);
            statements.add(new Statement(target, first.start(), lastEnd, v.index(), first.line(), deps));
            if (target == null) {
                bare = first;
            } else {
                if (v.name() == null) {
                    v.named(target);
                }
                statementIndex.put(target, statements.size() - 1);
            }
            statementValues.add(v);
        }
        return finish();
    }

    /**
     * {@code def name(a, b, …) = body}: checks the header and the body (parsed once here, on a
     * scratch tape, so its mistakes are reported where they are written), then skips it.
     */
    private void definition() {
        lex.next(); // def
        Token name = lex.next();
        String n = name.text();
        if (n.equals("pi") || n.equals("e")) {
            throw lex.error(name, "cannot define '" + n + "': it is a constant");
        }
        if (registry.lookup(n) != null) {
            throw lex.error(name, "cannot redefine " + FormulaException.quote(n) + ": it is a built-in function");
        }
        if (defs.containsKey(n)) {
            throw lex.error(name, FormulaException.quote(n) + " is defined twice");
        }
        if (statementIndex.containsKey(n) || inputs.containsKey(n)) {
            throw lex.error(name, "cannot define " + FormulaException.quote(n) + ": it is already a name in this program");
        }
        Token open = lex.next();
        if (open.kind() != Kind.LPAREN) {
            throw lex.error(open, "expected '(' after def " + n + " but found " + open.describe());
        }
        List<String> params = new ArrayList<>();
        while (true) {
            Token p = lex.next();
            if (p.kind() != Kind.NAME) {
                throw lex.error(p, "expected an argument name in def " + n + " but found " + p.describe());
            }
            if (p.text().equals("pi") || p.text().equals("e") || registry.lookup(p.text()) != null || defs.containsKey(p.text())) {
                throw lex.error(p, "cannot use " + FormulaException.quote(p.text()) + " as an argument name: it is a constant or a function");
            }
            if (params.contains(p.text())) {
                throw lex.error(p, "argument " + FormulaException.quote(p.text()) + " of " + n + " is named twice");
            }
            params.add(p.text());
            Token sep = lex.next();
            if (sep.kind() == Kind.RPAREN) {
                break;
            }
            if (sep.kind() != Kind.COMMA) {
                throw lex.error(sep, "expected ',' or ')' in def " + n + " but found " + sep.describe());
            }
        }
        Token eq = lex.next();
        if (eq.kind() != Kind.EQUALS) {
            throw lex.error(eq, "expected '=' after def " + n + "(" + String.join(", ", params) + ") but found " + eq.describe());
        }
        Def d = new Def(n, List.copyOf(params), lex.peek());
        Tape scratch = new Tape();
        Map<String, Var> probe = new LinkedHashMap<>();
        for (String p : params) {
            probe.put(p, scratch.input(p, 1));
        }
        Parser body = new Parser(this, d, probe).onTape(scratch);
        body.expression();
        int end = body.lastEnd;
        while (lex.peek().start() < end && lex.peek().kind() != Kind.EOF) {
            lex.next();
        }
        defs.put(n, d);
    }

    /** The same body parser, recording on {@code other} (a scratch tape, to check a body once). */
    private Parser onTape(Tape other) {
        return new Parser(this, other);
    }

    private Parser(Parser body, Tape other) {
        this.registry = body.registry;
        this.src = body.src;
        this.lex = body.lex;
        this.tape = other;
        this.assignedOnLine = Map.of();
        this.defs = body.defs;
        this.arguments = body.arguments;
        this.defining = body.defining;
    }

    /** A call of a defined function: its body, parsed where the call stands, over the call's values. */
    private Var expand(Def d, Token at, Var[] args) {
        if (args.length != d.params().size()) {
            int want = d.params().size();
            throw lex.error(at, d.name() + " takes " + want + (want == 1 ? " argument" : " arguments") + ", got " + args.length);
        }
        Map<String, Var> bound = new LinkedHashMap<>();
        for (int k = 0; k < args.length; k++) {
            bound.put(d.params().get(k), args[k]);
        }
        return new Parser(this, d, bound).expression();
    }

    private void checkTarget(Token t) {
        String name = t.text();
        if (name.equals("pi") || name.equals("e")) {
            throw lex.error(t, "cannot assign to '" + name + "': it is a constant");
        }
        if (registry.lookup(name) != null || defs.containsKey(name)) {
            throw lex.error(t, "cannot assign to '" + name + "': it is a function");
        }
        Integer earlier = statementIndex.get(name);
        if (earlier != null) {
            throw lex.error(t, FormulaException.quote(name) + " is assigned twice (first on line " + statements.get(earlier).line() + ")");
        }
    }

    private Result finish() {
        Var out = statementValues.get(statementValues.size() - 1);
        Statement last = statements.get(statements.size() - 1);
        boolean bare = statements.size() == 1 && last.name() == null;
        if (out.index() < tape.size() - 1) {
            // The output names an earlier value (l = x^2; u = 2*z; l), and a program ends at its
            // output: a copy of the value (times 1, exact for every double) ends it instead, so
            // the statements in between stay in the program, their inputs inputs.
            out = tape.apply(Op.MUL, out, tape.constant(1));
            String name = last.name() != null ? last.name() : "value";
            if (last.name() != null || !statementIndex.containsKey(name)) {
                out.named(name);
            }
        }
        int o = out.index();
        Set<String> names = new HashSet<>(inputs.keySet());
        names.addAll(statementIndex.keySet());
        if (bare) {
            // Name every operation t1, t2, … (the output "value") so a trace of a one-line formula
            // reads as a list of small steps; skip numbers an input already uses. A first frozen
            // copy tells operations from (folded) constants.
            Program probe = tape.toProgram(out);
            int k = 0;
            for (int i = 0; i <= o; i++) {
                Var v = new Var(tape, i);
                if (i == o) {
                    if (v.name() == null) {
                        v.named("value");
                    }
                } else if (probe.isOperation(i)) {
                    String n;
                    do {
                        n = "t" + (++k);
                    } while (names.contains(n));
                    v.named(n);
                }
            }
        } else if (last.name() == null && out.name() == null && !statementIndex.containsKey("value")) {
            out.named("value");
        }
        String outputName = last.name() == null ? "value" : last.name();
        String[] userNames = new String[o + 1];
        for (Var in : inputs.values()) {
            if (in.index() <= o) {
                userNames[in.index()] = in.name();
            }
        }
        for (Statement s : statements) {
            if (s.name() != null && s.node() <= o && userNames[s.node()] == null) {
                userNames[s.node()] = s.name();
            }
        }
        Program program = tape.toProgram(out);
        return new Result(program, List.copyOf(statements), bare, outputName, userNames,
                Map.copyOf(statementIndex), Set.copyOf(names), Collections.unmodifiableSet(constants));
    }

    // ---------------------------------------------------------------- expressions

    /** Parses one expression up to (not including) the end of its statement. */
    private Var expression() {
        depth = 0;
        open = 0;
        values.clear();
        boolean operand = true;
        while (true) {
            Token t = lex.peek();
            if (operand) {
                switch (t.kind()) {
                    case NUMBER:
                        consume();
                        values.add(tape.constant(t.number()));
                        operand = false;
                        break;
                    case NAME:
                        consume();
                        if (lex.peek().kind() == Kind.LPAREN) {
                            Rule f = registry.lookup(t.text());
                            Def d = f == null ? defs.get(t.text()) : null;
                            if (f == null && d == null) {
                                if (t.text().equals(defining)) {
                                    throw lex.error(t, defining + " calls itself: a function defined with def cannot be recursive");
                                }
                                throw lex.error(t, "unknown function " + FormulaException.quote(t.text()) + " (known: " + registry.known()
                                        + (defs.isEmpty() ? "" : "; defined here: " + String.join(", ", new java.util.TreeSet<>(defs.keySet()))) + ")");
                            }
                            consume();
                            push(CALL, f, t);
                            defCalls[depth - 1] = d;
                            if (lex.peek().kind() == Kind.RPAREN) {
                                if (d != null) {
                                    throw lex.error(t, d.name() + " takes " + d.params().size() + " argument"
                                            + (d.params().size() == 1 ? "" : "s") + ", got 0");
                                }
                                throw arityError(f, t, 0);
                            }
                        } else {
                            values.add(resolve(t));
                            operand = false;
                        }
                        break;
                    case LPAREN:
                        consume();
                        push(PAREN, null, t);
                        break;
                    case MINUS:
                        consume();
                        push(NEG, null, t);
                        break;
                    case PLUS:
                        consume();
                        break;
                    default:
                        throw lex.error(t, "expected an expression but found " + t.describe());
                }
            } else {
                switch (t.kind()) {
                    case PLUS: binary(ADD, t); operand = true; break;
                    case MINUS: binary(SUB, t); operand = true; break;
                    case STAR: binary(MUL, t); operand = true; break;
                    case SLASH: binary(DIV, t); operand = true; break;
                    case CARET: binary(POW, t); operand = true; break;
                    case COMMA:
                        reduceToMarker();
                        if (depth == 0 || kinds[depth - 1] != CALL) {
                            throw expectedOperator(t);
                        }
                        counts[depth - 1]++;
                        consume();
                        operand = true;
                        break;
                    case RPAREN:
                        reduceToMarker();
                        if (depth == 0) {
                            throw lex.error(t, "unmatched ')'");
                        }
                        close();
                        consume();
                        break;
                    default:
                        if (t.endsStatement()) {
                            if (open > 0) {
                                throw lex.error(t, "expected ')' but found " + t.describe() + unclosed(t));
                            }
                            while (depth > 0) {
                                reduce();
                            }
                            return values.get(0);
                        }
                        throw expectedOperator(t);
                }
            }
        }
    }

    private void consume() {
        Token t = lex.next();
        lastStart = t.start();
        lastEnd = t.end();
        lastKind = t.kind();
    }

    private FormulaException expectedOperator(Token t) {
        String what = "an operator or end of line";
        for (int i = depth - 1; i >= 0; i--) {
            if (kinds[i] == CALL) {
                what = "an operator, ',' or ')'";
                break;
            }
            if (kinds[i] == PAREN) {
                what = "an operator or ')'";
                break;
            }
        }
        String hint = "";
        if (lastKind == Kind.NUMBER && t.start() == lastEnd && (t.kind() == Kind.NAME || t.kind() == Kind.LPAREN)) {
            // 2x, 2(x + 1): the book's juxtaposition, which a formula spells with '*'.
            String product = src.substring(lastStart, lastEnd) + "*" + (t.kind() == Kind.NAME ? t.text() : "(…)");
            hint = "; for a product write " + FormulaException.quote(product);
        } else if (t.continued()) {
            // "name =" on the line after an unclosed '(' is a new statement, not a continuation.
            for (int i = depth - 1; i >= 0; i--) {
                if (kinds[i] >= PAREN) {
                    if (t.kind() == Kind.NAME && lex.peekSecond().kind() == Kind.EQUALS) {
                        String paren = kinds[i] == CALL ? tokens[i].text() + "(" : "(";
                        return lex.error(tokens[i], "'" + paren + "' is not closed (line " + t.line() + " starts a new statement)");
                    }
                    break;
                }
            }
            hint = unclosed(t);
        }
        return lex.error(t, "expected " + what + " but found " + t.describe() + hint);
    }

    /**
     * Where the innermost open parenthesis was opened, when that is on an earlier line than
     * {@code t}: the usual cause of an error after a line break inside parentheses.
     */
    private String unclosed(Token t) {
        for (int i = depth - 1; i >= 0; i--) {
            if (kinds[i] >= PAREN) {
                Token o = tokens[i];
                return o.line() == t.line() ? ""
                        : " (is a ')' missing? the '" + (kinds[i] == CALL ? o.text() + "(" : "(") + "' on line " + o.line()
                        + ", column " + o.column() + " is still open)";
            }
        }
        return "";
    }

    private FormulaException arityError(Rule f, Token at, int got) {
        return lex.error(at, f.symbol() + " " + f.arityText() + ", got " + got);
    }

    private void binary(int code, Token t) {
        int p = PREC[code];
        while (depth > 0 && kinds[depth - 1] < PAREN) {
            int top = PREC[kinds[depth - 1]];
            if (top > p || (top == p && code != POW)) {
                reduce();
            } else {
                break;
            }
        }
        consume();
        push(code, null, t);
    }

    private void push(int kind, Rule f, Token t) {
        if (depth == kinds.length) {
            int n = depth * 2;
            kinds = Arrays.copyOf(kinds, n);
            counts = Arrays.copyOf(counts, n);
            functions = Arrays.copyOf(functions, n);
            tokens = Arrays.copyOf(tokens, n);
            defCalls = Arrays.copyOf(defCalls, n);
        }
        kinds[depth] = kind;
        counts[depth] = 0;
        functions[depth] = f;
        tokens[depth] = t;
        defCalls[depth] = null;
        depth++;
        if (kind >= PAREN) {
            open++;
        }
    }

    private void reduce() {
        int k = kinds[--depth];
        tokens[depth] = null;
        Var b = pop();
        if (k == NEG) {
            values.add(tape.apply(Op.NEG, b));
        } else {
            Var a = pop();
            values.add(tape.apply(OPS[k], a, b));
        }
    }

    private void reduceToMarker() {
        while (depth > 0 && kinds[depth - 1] < PAREN) {
            reduce();
        }
    }

    /** Closes the innermost parenthesis or call; the stack top is its marker. */
    private void close() {
        depth--;
        open--;
        if (kinds[depth] == CALL) {
            Rule f = functions[depth];
            int n = counts[depth] + 1;
            if (f != null && !f.accepts(n)) {
                throw arityError(f, tokens[depth], n);
            }
            Var[] args = new Var[n];
            for (int k = n - 1; k >= 0; k--) {
                args[k] = pop();
            }
            values.add(f != null ? tape.apply(f, args) : expand(defCalls[depth], tokens[depth], args));
            defCalls[depth] = null;
        }
        tokens[depth] = null;
        functions[depth] = null;
    }

    private Var pop() {
        return values.remove(values.size() - 1);
    }

    /** Notes that the statement being parsed uses statement {@code s} (numbered from 0). */
    private void dependsOn(int s) {
        int current = statements.size() + 1; // 1-based, so 0 in listedBy means "never"
        if (s >= listedBy.length) {
            listedBy = Arrays.copyOf(listedBy, Math.max(s + 1, listedBy.length * 2));
        }
        if (listedBy[s] == current) {
            return;
        }
        listedBy[s] = current;
        if (currentDepCount == currentDeps.length) {
            currentDeps = Arrays.copyOf(currentDeps, currentDepCount * 2);
        }
        currentDeps[currentDepCount++] = s;
    }

    private Var resolve(Token t) {
        String n = t.text();
        if (arguments != null && arguments.containsKey(n)) {
            return arguments.get(n);
        }
        if (registry.lookup(n) != null || defs.containsKey(n)) {
            Token next = lex.peek();
            throw lex.error(next, "expected '(' after " + FormulaException.quote(n) + " but found " + next.describe());
        }
        if (n.equals("pi")) {
            constants.add(n);
            return tape.constant(Math.PI);
        }
        if (n.equals("e")) {
            constants.add(n);
            return tape.constant(Math.E);
        }
        if (arguments != null) {
            throw lex.error(t, FormulaException.quote(n) + " is not an argument of " + defining + " (its arguments: "
                    + String.join(", ", defs.containsKey(defining) ? defs.get(defining).params() : arguments.keySet()) + ")");
        }
        Integer s = statementIndex.get(n);
        if (s != null) {
            dependsOn(s);
            return statementValues.get(s);
        }
        Integer line = assignedOnLine.get(n);
        if (line != null) {
            if (n.equals(currentTarget)) {
                throw lex.error(t, FormulaException.quote(n) + " is used in its own definition");
            }
            throw lex.error(t, FormulaException.quote(n) + " is used before it is assigned (on line " + line + ")");
        }
        return inputs.computeIfAbsent(n, name -> tape.input(name, Double.NaN));
    }
}
