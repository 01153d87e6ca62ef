package org.taxoshard.oozie;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The small part of Oozie's expression language (JSP 2.0 EL) that the workflow and the coordinator
 * use: text with {@code ${...}} expressions in it; variables; string, number and boolean literals;
 * {@code not} / {@code !}, {@code empty}, {@code and} / {@code &&}, {@code or} / {@code ||},
 * {@code ==} / {@code eq}, {@code !=} / {@code ne}, {@code ? :} and parentheses; calls of the
 * functions it is given ({@code concat}, {@code fs:exists}, {@code wf:...}, {@code coord:...}).
 * An unknown variable or function is an error, as in Oozie, so that nothing goes unevaluated.
 */
final class El {
  /** An expression that cannot be evaluated. */
  static final class ElException extends RuntimeException {
    ElException(String message) {
      super(message);
    }
  }

  private final Function<String, String> variables;
  private final Map<String, Function<List<Object>, Object>> functions = new HashMap<>();

  /** @param variables a variable's value, or null when it has none */
  El(Function<String, String> variables) {
    this.variables = variables;
    function("concat", a -> text(a.get(0)) + text(a.get(1)));
  }

  El function(String name, Function<List<Object>, Object> f) {
    functions.put(name, f);
    return this;
  }

  /** Evaluates every {@code ${...}} in the text; the rest stays as it is. */
  String evaluate(String template) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int start = template.indexOf("${", i);
      if (start < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, start);
      int end = closing(template, start + 2);
      out.append(text(expression(template.substring(start + 2, end))));
      i = end + 1;
    }
    return out.toString();
  }

  /** Evaluates text that is one expression (or holds some) as a boolean, as a decision case is. */
  boolean test(String template) {
    return bool(evaluate(template).strip());
  }

  /** The index of the '}' that closes an expression starting at {@code from}, skipping quoted text. */
  private static int closing(String s, int from) {
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '}') {
        return i;
      }
    }
    throw new ElException("unclosed ${ in: " + s);
  }

  Object expression(String source) {
    Parser p = new Parser(tokens(source), source);
    Object v = p.conditional();
    if (p.pos != p.tokens.size()) {
      throw new ElException("unexpected '" + p.tokens.get(p.pos) + "' in ${" + source + "}");
    }
    return v;
  }

  static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String s = text(v);
    if (s.equals("true") || s.equals("false") || s.isEmpty()) {
      return Boolean.parseBoolean(s);
    }
    throw new ElException("not a boolean: " + s);
  }

  private static boolean isEmpty(Object v) {
    return v == null || text(v).isEmpty();
  }

  private record Token(String kind, String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        for (; j < s.length() && s.charAt(j) != c; j++) {
          if (s.charAt(j) == '\\' && j + 1 < s.length()) {
            j++;
          }
          b.append(s.charAt(j));
        }
        if (j == s.length()) {
          throw new ElException("unclosed string in ${" + s + "}");
        }
        out.add(new Token("string", b.toString()));
        i = j + 1;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
          j++;
        }
        out.add(new Token("number", s.substring(i, j)));
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        // A function's prefix: wf:errorMessage, fs:exists, coord:dataIn.
        if (j + 1 < s.length() && s.charAt(j) == ':' && Character.isLetter(s.charAt(j + 1))) {
          j++;
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
          }
        }
        out.add(new Token("name", s.substring(i, j)));
        i = j;
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (List.of("&&", "||", "==", "!=").contains(two)) {
          out.add(new Token("op", two));
          i += 2;
        } else if ("()!?:,".indexOf(c) >= 0) {
          out.add(new Token("op", String.valueOf(c)));
          i++;
        } else {
          throw new ElException("unexpected '" + c + "' in ${" + s + "}");
        }
      }
    }
    return out;
  }

  /** Recursive descent over the tokens; evaluates as it parses (both sides of and/or/?: are evaluated only when needed). */
  private final class Parser {
    final List<Token> tokens;
    final String source;
    int pos;
    /** Above zero while parsing a branch whose value is not wanted: nothing is called or looked up. */
    int skipping;

    Parser(List<Token> tokens, String source) {
      this.tokens = tokens;
      this.source = source;
    }

    boolean at(String... texts) {
      if (pos >= tokens.size()) {
        return false;
      }
      Token t = tokens.get(pos);
      if (t.kind().equals("string") || t.kind().equals("number")) {
        return false;
      }
      for (String x : texts) {
        if (t.text().equals(x)) {
          return true;
        }
      }
      return false;
    }

    void expect(String text) {
      if (!at(text)) {
        throw new ElException("expected '" + text + "' in ${" + source + "}");
      }
      pos++;
    }

    Object conditional() {
      Object c = or();
      if (!at("?")) {
        return c;
      }
      pos++;
      boolean which = skipping > 0 || bool(c);
      Object a = branch(which);
      expect(":");
      Object b = branch(skipping > 0 || !which);
      return which ? a : b;
    }

    private Object branch(boolean wanted) {
      if (wanted) {
        return conditional();
      }
      skipping++;
      try {
        return conditional();
      } finally {
        skipping--;
      }
    }

    Object or() {
      Object v = and();
      while (at("or", "||")) {
        pos++;
        boolean left = skipping > 0 || bool(v);
        if (left) {
          skipping++;
          try {
            and();
          } finally {
            skipping--;
          }
          v = true;
        } else {
          v = bool(and());
        }
      }
      return v;
    }

    Object and() {
      Object v = equality();
      while (at("and", "&&")) {
        pos++;
        boolean left = skipping > 0 ? true : bool(v);
        if (!left) {
          skipping++;
          try {
            equality();
          } finally {
            skipping--;
          }
          v = false;
        } else {
          v = bool(equality());
        }
      }
      return v;
    }

    Object equality() {
      Object v = unary();
      while (at("==", "eq", "!=", "ne")) {
        boolean equal = at("==", "eq");
        pos++;
        Object w = unary();
        v = text(v).equals(text(w)) == equal;
      }
      return v;
    }

    Object unary() {
      if (at("not", "!")) {
        pos++;
        Object v = unary();
        return skipping > 0 ? false : !bool(v);
      }
      if (at("empty")) {
        pos++;
        return isEmpty(unary());
      }
      return primary();
    }

    Object primary() {
      if (pos >= tokens.size()) {
        throw new ElException("unexpected end of ${" + source + "}");
      }
      Token t = tokens.get(pos++);
      switch (t.kind()) {
        case "string":
          return t.text();
        case "number":
          return t.text();
        case "op":
          if (t.text().equals("(")) {
            Object v = conditional();
            expect(")");
            return v;
          }
          throw new ElException("unexpected '" + t.text() + "' in ${" + source + "}");
        default:
          break;
      }
      String name = t.text();
      if (at("(")) {
        pos++;
        List<Object> args = new ArrayList<>();
        if (!at(")")) {
          args.add(conditional());
          while (at(",")) {
            pos++;
            args.add(conditional());
          }
        }
        expect(")");
        Function<List<Object>, Object> f = functions.get(name);
        if (f == null) {
          throw new ElException("EL function [" + name + "] is not known (in ${" + source + "})");
        }
        return skipping > 0 ? null : f.apply(args);
      }
      switch (name) {
        case "true":
          return true;
        case "false":
          return false;
        case "null":
          return null;
        default:
          break;
      }
      if (name.contains(":")) {
        throw new ElException("[" + name + "] is a function, not a variable (in ${" + source + "})");
      }
      if (skipping > 0) {
        return null;
      }
      String v = variables.apply(name);
      if (v == null) {
        throw new ElException("EL_ERROR variable [" + name + "] cannot be resolved (in ${" + source + "})");
      }
      return v;
    }
  }
}
