package io.kube4j.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Parses the string form of a label selector with the same grammar, tokenisation and error messages as upstream
 * k8s.io/apimachinery/pkg/labels (a recursive descent parser over a token list with one token of lookahead).
 */
final class LabelSelectorParser {

    private enum Tok {
        ERROR, END, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN, LESS_THAN,
        NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Tok tok, String literal) {
    }

    private static final Map<String, Tok> KEYWORDS = Map.ofEntries(
            Map.entry(")", Tok.CLOSED_PAR), Map.entry(",", Tok.COMMA), Map.entry("!", Tok.DOES_NOT_EXIST),
            Map.entry("==", Tok.DOUBLE_EQUALS), Map.entry("=", Tok.EQUALS), Map.entry(">", Tok.GREATER_THAN),
            Map.entry("in", Tok.IN), Map.entry("<", Tok.LESS_THAN), Map.entry("!=", Tok.NOT_EQUALS),
            Map.entry("notin", Tok.NOT_IN), Map.entry("(", Tok.OPEN_PAR));

    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    private final String input;
    private int pos;
    private final List<Item> items = new ArrayList<>();
    private int position;

    private LabelSelectorParser(String input) {
        this.input = input;
    }

    static List<LabelRequirement> parse(String selector) {
        LabelSelectorParser p = new LabelSelectorParser(selector);
        p.scan();
        List<LabelRequirement> reqs = p.parseRequirements();
        reqs.sort((a, b) -> a.key().compareTo(b.key()));
        return reqs;
    }

    // ---- lexer ----

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecialSymbol(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private void scan() {
        while (true) {
            Item item = lex();
            items.add(item);
            if (item.tok() == Tok.END) {
                return;
            }
        }
    }

    private Item lex() {
        while (pos < input.length() && isWhitespace(input.charAt(pos))) {
            pos++;
        }
        if (pos >= input.length()) {
            return new Item(Tok.END, "");
        }
        return isSpecialSymbol(input.charAt(pos)) ? scanSpecialSymbol() : scanIdOrKeyword();
    }

    private Item scanIdOrKeyword() {
        int start = pos;
        while (pos < input.length() && !isSpecialSymbol(input.charAt(pos)) && !isWhitespace(input.charAt(pos))) {
            pos++;
        }
        String s = input.substring(start, pos);
        Tok keyword = KEYWORDS.get(s);
        return new Item(keyword != null ? keyword : Tok.IDENTIFIER, s);
    }

    // Takes the longest run of special symbols that still forms an operator ("!=" rather than "!" then "=").
    private Item scanSpecialSymbol() {
        StringBuilder buffer = new StringBuilder();
        Item last = null;
        while (pos < input.length() && isSpecialSymbol(input.charAt(pos))) {
            buffer.append(input.charAt(pos));
            Tok tok = KEYWORDS.get(buffer.toString());
            if (tok != null) {
                last = new Item(tok, buffer.toString());
                pos++;
            } else if (last != null) {
                break;
            } else {
                pos++;
            }
        }
        if (last == null) {
            return new Item(Tok.ERROR, "error expected: keyword found '" + buffer + "'");
        }
        return last;
    }

    // ---- parser ----

    // In a value position the keywords "in" and "notin" are plain identifiers ("x in (in)").
    private Item lookahead(boolean values) {
        return asContext(items.get(position), values);
    }

    private Item consume(boolean values) {
        position++;
        return asContext(items.get(position - 1), values);
    }

    private static Item asContext(Item item, boolean values) {
        if (values && (item.tok() == Tok.IN || item.tok() == Tok.NOT_IN)) {
            return new Item(Tok.IDENTIFIER, item.literal());
        }
        return item;
    }

    private List<LabelRequirement> parseRequirements() {
        List<LabelRequirement> reqs = new ArrayList<>();
        while (true) {
            Item next = lookahead(true);
            switch (next.tok()) {
                case IDENTIFIER, DOES_NOT_EXIST -> {
                    try {
                        reqs.add(parseRequirement());
                    } catch (SelectorParseException e) {
                        throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
                    }
                    Item after = consume(true);
                    switch (after.tok()) {
                        case END -> {
                            return reqs;
                        }
                        case COMMA -> {
                            Item t2 = lookahead(true);
                            if (t2.tok() != Tok.IDENTIFIER && t2.tok() != Tok.DOES_NOT_EXIST) {
                                throw new SelectorParseException(
                                        "found '" + t2.literal() + "', expected: identifier after ','");
                            }
                        }
                        default -> throw new SelectorParseException(
                                "found '" + after.literal() + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> {
                    return reqs;
                }
                default -> throw new SelectorParseException(
                        "found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement parseRequirement() {
        Operator operator = null;
        Item item = consume(true);
        if (item.tok() == Tok.DOES_NOT_EXIST) {
            operator = Operator.DOES_NOT_EXIST;
            item = consume(true);
        }
        if (item.tok() != Tok.IDENTIFIER) {
            throw new SelectorParseException("found '" + item.literal() + "', expected: identifier");
        }
        String key = item.literal();
        List<String> keyErrs = LabelSyntax.labelKeyErrors(key);
        if (!keyErrs.isEmpty()) {
            // upstream validates the key against a nil field path here, hence the "<nil>"
            throw new SelectorParseException(FieldErrors.invalid("<nil>", key, String.join("; ", keyErrs)));
        }
        Tok next = lookahead(true).tok();
        if (next == Tok.END || next == Tok.COMMA) {
            if (operator != Operator.DOES_NOT_EXIST) {
                operator = Operator.EXISTS;
            }
        }
        if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
            return LabelRequirement.of(key, operator, List.of());
        }
        operator = parseOperator();
        TreeSet<String> values = switch (operator) {
            case IN, NOT_IN -> parseValues();
            default -> parseExactValue();
        };
        return LabelRequirement.of(key, operator, new ArrayList<>(values));
    }

    private Operator parseOperator() {
        Item item = consume(false);
        return switch (item.tok()) {
            case IN -> Operator.IN;
            case EQUALS -> Operator.EQUALS;
            case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
            case GREATER_THAN -> Operator.GREATER_THAN;
            case LESS_THAN -> Operator.LESS_THAN;
            case NOT_IN -> Operator.NOT_IN;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            default -> throw new SelectorParseException("found '" + item.literal() + "', expected: " + BINARY_OPERATORS);
        };
    }

    private TreeSet<String> parseValues() {
        Item item = consume(true);
        if (item.tok() != Tok.OPEN_PAR) {
            throw new SelectorParseException("found '" + item.literal() + "' expected: '('");
        }
        Item next = lookahead(true);
        switch (next.tok()) {
            case IDENTIFIER, COMMA -> {
                TreeSet<String> s = parseIdentifiersList();
                if (consume(true).tok() != Tok.CLOSED_PAR) {
                    throw new SelectorParseException("found '" + next.literal() + "', expected: ')'");
                }
                return s;
            }
            case CLOSED_PAR -> {
                consume(true);
                TreeSet<String> s = new TreeSet<>();
                s.add("");
                return s;
            }
            default -> throw new SelectorParseException(
                    "found '" + next.literal() + "', expected: ',', ')' or identifier");
        }
    }

    // Empty values are allowed: "(,a)", "(a,,b)" and "(a,)" all contain "".
    private TreeSet<String> parseIdentifiersList() {
        TreeSet<String> s = new TreeSet<>();
        while (true) {
            Item item = consume(true);
            switch (item.tok()) {
                case IDENTIFIER -> {
                    s.add(item.literal());
                    Item t2 = lookahead(true);
                    switch (t2.tok()) {
                        case COMMA -> {
                        }
                        case CLOSED_PAR -> {
                            return s;
                        }
                        default -> throw new SelectorParseException(
                                "found '" + t2.literal() + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (s.isEmpty()) {
                        s.add("");
                    }
                    Tok t2 = lookahead(true).tok();
                    if (t2 == Tok.CLOSED_PAR) {
                        s.add("");
                        return s;
                    }
                    if (t2 == Tok.COMMA) {
                        s.add("");
                    }
                }
                default -> throw new SelectorParseException(
                        "found '" + item.literal() + "', expected: ',', or identifier");
            }
        }
    }

    private TreeSet<String> parseExactValue() {
        TreeSet<String> s = new TreeSet<>();
        Tok next = lookahead(true).tok();
        if (next == Tok.END || next == Tok.COMMA) {
            s.add("");
            return s;
        }
        Item item = consume(true);
        if (item.tok() == Tok.IDENTIFIER) {
            s.add(item.literal());
            return s;
        }
        throw new SelectorParseException("found '" + item.literal() + "', expected: identifier");
    }
}
