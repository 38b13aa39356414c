package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small OData $filter parser/evaluator over the JSON rendering of items. Supports eq, ne, gt, ge, lt, le,
 * in (...), and, or, not, parentheses, startswith/endswith/contains, isof('type'), lambda any/all over
 * collections ({@code methodsRegistered/any(m: m eq 'fido2')}), property paths ({@code status/errorCode}),
 * string/number/boolean/null/date-time/guid literals. String equality is case-insensitive, as in the directory.
 */
public final class ODataFilter {

    /** Thrown for a filter Graph would refuse (400). */
    public static final class FilterException extends RuntimeException {
        public final String code;

        public FilterException(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private interface Expr {
        JsonNode eval(JsonNode item, Map<String, JsonNode> vars);
    }

    private final Expr root;
    private final String typeName;

    private ODataFilter(Expr root, String typeName) {
        this.root = root;
        this.typeName = typeName;
    }

    /** @param typeName used in "Could not find a property named ... on type ..." messages */
    public static ODataFilter parse(String text, String typeName) {
        Parser p = new Parser(tokenize(text));
        Expr e = p.or();
        if (p.pos != p.tokens.size()) {
            throw new FilterException("BadRequest", "Invalid filter clause: syntax error at position "
                    + p.pos + " in '" + text + "'.");
        }
        return new ODataFilter(e, typeName);
    }

    public boolean test(JsonNode item) {
        try {
            return truthy(root.eval(item, Map.of()));
        } catch (MissingProperty m) {
            throw new FilterException("BadRequest", "Could not find a property named '" + m.getMessage()
                    + "' on type '" + typeName + "'.");
        }
    }

    private static final class MissingProperty extends RuntimeException {
        MissingProperty(String p) {
            super(p, null, false, false);
        }
    }

    private static boolean truthy(JsonNode n) {
        return n != null && n.isBoolean() && n.booleanValue();
    }

    // ---- tokens -------------------------------------------------------------------------------------------

    private record Tok(char kind, String text) {
        // kind: 'i' identifier/path, 's' string, 'n' number/date/guid literal, '(' ')' ',' ':'
    }

    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',' || c == ':') {
                out.add(new Tok(c, String.valueOf(c)));
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(d);
                    i++;
                }
                if (!closed) {
                    throw new FilterException("BadRequest", "Invalid filter clause: unterminated string literal.");
                }
                out.add(new Tok('s', sb.toString()));
            } else if (Character.isDigit(c) || c == '-') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || "-:.+".indexOf(s.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(new Tok('n', s.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == '@' || c == '#') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || "_./@#-".indexOf(s.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(new Tok('i', s.substring(i, j)));
                i = j;
            } else {
                throw new FilterException("BadRequest", "Invalid filter clause: unexpected character '" + c + "'.");
            }
        }
        return out;
    }

    // ---- parser -------------------------------------------------------------------------------------------

    private static final class Parser {
        final List<Tok> tokens;
        int pos;

        Parser(List<Tok> tokens) {
            this.tokens = tokens;
        }

        Tok peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        boolean peekWord(String w) {
            Tok t = peek();
            return t != null && t.kind == 'i' && t.text.equalsIgnoreCase(w);
        }

        Tok next() {
            if (pos >= tokens.size()) {
                throw new FilterException("BadRequest", "Invalid filter clause: unexpected end of expression.");
            }
            return tokens.get(pos++);
        }

        void expect(char kind) {
            Tok t = next();
            if (t.kind != kind) {
                throw new FilterException("BadRequest", "Invalid filter clause: expected '" + kind + "' but found '" + t.text + "'.");
            }
        }

        Expr or() {
            Expr left = and();
            while (peekWord("or")) {
                pos++;
                Expr l = left;
                Expr r = and();
                left = (item, vars) -> BooleanNode.valueOf(truthy(l.eval(item, vars)) || truthy(r.eval(item, vars)));
            }
            return left;
        }

        Expr and() {
            Expr left = unary();
            while (peekWord("and")) {
                pos++;
                Expr l = left;
                Expr r = unary();
                left = (item, vars) -> BooleanNode.valueOf(truthy(l.eval(item, vars)) && truthy(r.eval(item, vars)));
            }
            return left;
        }

        Expr unary() {
            if (peekWord("not")) {
                pos++;
                Expr e = unary();
                return (item, vars) -> BooleanNode.valueOf(!truthy(e.eval(item, vars)));
            }
            return comparison();
        }

        Expr comparison() {
            Expr left = operand();
            Tok t = peek();
            if (t != null && t.kind == 'i') {
                String op = t.text.toLowerCase(Locale.ROOT);
                switch (op) {
                    case "eq", "ne", "gt", "ge", "lt", "le" -> {
                        pos++;
                        Expr right = operand();
                        return (item, vars) -> BooleanNode.valueOf(compare(op, left.eval(item, vars), right.eval(item, vars)));
                    }
                    case "in" -> {
                        pos++;
                        expect('(');
                        List<Expr> values = new ArrayList<>();
                        values.add(operand());
                        while (peek() != null && peek().kind == ',') {
                            pos++;
                            values.add(operand());
                        }
                        expect(')');
                        return (item, vars) -> {
                            JsonNode l = left.eval(item, vars);
                            for (Expr v : values) {
                                if (compare("eq", l, v.eval(item, vars))) {
                                    return BooleanNode.TRUE;
                                }
                            }
                            return BooleanNode.FALSE;
                        };
                    }
                    default -> {
                    }
                }
            }
            return left;
        }

        Expr operand() {
            Tok t = next();
            switch (t.kind) {
                case '(' -> {
                    Expr e = or();
                    expect(')');
                    return e;
                }
                case 's' -> {
                    JsonNode v = Json.F.textNode(t.text);
                    return (item, vars) -> v;
                }
                case 'n' -> {
                    JsonNode v = literal(t.text);
                    return (item, vars) -> v;
                }
                case 'i' -> {
                    String w = t.text;
                    String lw = w.toLowerCase(Locale.ROOT);
                    if (lw.equals("true") || lw.equals("false")) {
                        JsonNode v = BooleanNode.valueOf(lw.equals("true"));
                        return (item, vars) -> v;
                    }
                    if (lw.equals("null")) {
                        return (item, vars) -> NullNode.instance;
                    }
                    Tok n = peek();
                    if (n != null && n.kind == '(') {
                        if (lw.endsWith("/any") || lw.endsWith("/all")) {
                            return lambda(w.substring(0, w.length() - 4), lw.endsWith("/all"));
                        }
                        return function(lw);
                    }
                    return path(w);
                }
                default -> throw new FilterException("BadRequest", "Invalid filter clause: unexpected '" + t.text + "'.");
            }
        }

        Expr lambda(String collectionPath, boolean all) {
            expect('(');
            Tok var = next();
            if (var.kind != 'i') {
                throw new FilterException("BadRequest", "Invalid filter clause: lambda variable expected.");
            }
            expect(':');
            Expr body = or();
            expect(')');
            Expr coll = path(collectionPath);
            String v = var.text;
            return (item, vars) -> {
                JsonNode c = coll.eval(item, vars);
                if (c == null || !c.isArray()) {
                    return BooleanNode.valueOf(all);
                }
                for (JsonNode el : c) {
                    Map<String, JsonNode> vs = new HashMap<>(vars);
                    vs.put(v, el);
                    boolean r = truthy(body.eval(item, vs));
                    if (all && !r) {
                        return BooleanNode.FALSE;
                    }
                    if (!all && r) {
                        return BooleanNode.TRUE;
                    }
                }
                return BooleanNode.valueOf(all);
            };
        }

        Expr function(String name) {
            expect('(');
            List<Expr> args = new ArrayList<>();
            if (peek() != null && peek().kind != ')') {
                args.add(or());
                while (peek() != null && peek().kind == ',') {
                    pos++;
                    args.add(or());
                }
            }
            expect(')');
            switch (name) {
                case "startswith", "endswith", "contains" -> {
                    if (args.size() != 2) {
                        throw new FilterException("BadRequest", "Invalid filter clause: " + name + " takes 2 arguments.");
                    }
                    return (item, vars) -> {
                        JsonNode a = args.get(0).eval(item, vars);
                        JsonNode b = args.get(1).eval(item, vars);
                        if (a == null || !a.isTextual() || b == null || !b.isTextual()) {
                            return BooleanNode.FALSE;
                        }
                        String x = a.asText().toLowerCase(Locale.ROOT);
                        String y = b.asText().toLowerCase(Locale.ROOT);
                        return BooleanNode.valueOf(name.equals("startswith") ? x.startsWith(y)
                                : name.equals("endswith") ? x.endsWith(y) : x.contains(y));
                    };
                }
                case "isof" -> {
                    if (args.size() != 1) {
                        throw new FilterException("BadRequest", "Invalid filter clause: isof takes 1 argument.");
                    }
                    return (item, vars) -> {
                        JsonNode t = args.get(0).eval(item, vars);
                        String type = t == null ? "" : t.asText();
                        String actual = item.path("@odata.type").asText("");
                        return BooleanNode.valueOf(actual.equalsIgnoreCase("#" + type) || actual.equalsIgnoreCase(type));
                    };
                }
                default -> throw new FilterException("BadRequest", "Invalid filter clause: unknown function '" + name + "'.");
            }
        }

        Expr path(String p) {
            String[] segs = p.split("/");
            return (item, vars) -> {
                JsonNode cur;
                int start;
                if (vars.containsKey(segs[0])) {
                    cur = vars.get(segs[0]);
                    start = 1;
                } else {
                    cur = item;
                    start = 0;
                    if (item.isObject() && !item.has(segs[0])) {
                        throw new MissingProperty(segs[0]);
                    }
                }
                for (int i = start; i < segs.length && cur != null; i++) {
                    cur = cur.get(segs[i]);
                }
                return cur == null ? NullNode.instance : cur;
            };
        }
    }

    private static JsonNode literal(String text) {
        try {
            if (text.matches("-?\\d+")) {
                return Json.F.numberNode(Long.parseLong(text));
            }
            if (text.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?")) {
                return Json.F.numberNode(Double.parseDouble(text));
            }
        } catch (NumberFormatException e) {
            // fall through: date-time or guid
        }
        return Json.F.textNode(text);
    }

    private static boolean compare(String op, JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            boolean both = aNull && bNull;
            return switch (op) {
                case "eq" -> both;
                case "ne" -> !both;
                default -> false;
            };
        }
        int c;
        if (a.isNumber() && b.isNumber()) {
            c = Double.compare(a.asDouble(), b.asDouble());
        } else if (a.isBoolean() || b.isBoolean()) {
            if (!(a.isBoolean() && b.isBoolean())) {
                return op.equals("ne");
            }
            c = Boolean.compare(a.booleanValue(), b.booleanValue());
        } else {
            String x = a.asText();
            String y = b.asText();
            Integer dc = compareDates(x, y);
            c = dc != null ? dc : x.compareToIgnoreCase(y);
        }
        return switch (op) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "gt" -> c > 0;
            case "ge" -> c >= 0;
            case "lt" -> c < 0;
            case "le" -> c <= 0;
            default -> false;
        };
    }

    private static Integer compareDates(String x, String y) {
        if (x.length() < 19 || y.length() < 19 || x.charAt(10) != 'T' || y.charAt(10) != 'T') {
            return null;
        }
        try {
            return OffsetDateTime.parse(x).toInstant().compareTo(OffsetDateTime.parse(y).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
