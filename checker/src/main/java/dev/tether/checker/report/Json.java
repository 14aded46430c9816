package dev.tether.checker.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The little JSON that the SARIF report needs, so that the checker adds no library to the user's
 * javac: values are {@link Map} (objects, in insertion order), {@link List}, {@link String}, {@link
 * Number}, {@link Boolean} and {@code null}.
 */
final class Json {
  private Json() {}

  /** Writes {@code value} as indented JSON. */
  static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(@Nullable Object value, StringBuilder out, int indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String string) {
      quote(string, out);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      String separator = "\n";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(separator).append("  ".repeat(indent + 1));
        quote(String.valueOf(entry.getKey()), out);
        out.append(": ");
        write(entry.getValue(), out, indent + 1);
        separator = ",\n";
      }
      out.append('\n').append("  ".repeat(indent)).append('}');
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      String separator = "\n";
      for (Object element : list) {
        out.append(separator).append("  ".repeat(indent + 1));
        write(element, out, indent + 1);
        separator = ",\n";
      }
      out.append('\n').append("  ".repeat(indent)).append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Parses JSON text; throws {@link IllegalArgumentException} with the offset of an error. */
  static @Nullable Object parse(String text) {
    Parser parser = new Parser(text);
    Object value = parser.value();
    parser.skipWhitespace();
    if (parser.at < text.length()) {
      throw parser.error("trailing text");
    }
    return value;
  }

  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    @Nullable Object value() {
      skipWhitespace();
      if (at >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(at);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", true);
        case 'f' -> literal("false", false);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    private Map<String, @Nullable Object> object() {
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      at++;
      skipWhitespace();
      if (peek() == '}') {
        at++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipWhitespace();
        expect(':');
        map.put(key, value());
        skipWhitespace();
        if (peek() == ',') {
          at++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    private List<@Nullable Object> array() {
      List<@Nullable Object> list = new ArrayList<>();
      at++;
      skipWhitespace();
      if (peek() == ']') {
        at++;
        return list;
      }
      while (true) {
        list.add(value());
        skipWhitespace();
        if (peek() == ',') {
          at++;
        } else {
          expect(']');
          return list;
        }
      }
    }

    private String string() {
      StringBuilder out = new StringBuilder();
      at++;
      while (true) {
        if (at >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (at >= text.length()) {
          throw error("unterminated escape");
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw error("short \\u escape");
            }
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(escaped);
        }
      }
    }

    private Number number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      String number = text.substring(start, at);
      if (number.isEmpty()) {
        throw error("unexpected character");
      }
      try {
        return number.matches("-?\\d+") ? (Number) Long.parseLong(number) : Double.valueOf(number);
      } catch (NumberFormatException e) {
        throw error("bad number " + number);
      }
    }

    private @Nullable Object literal(String word, @Nullable Object value) {
      if (!text.startsWith(word, at)) {
        throw error("unexpected character");
      }
      at += word.length();
      return value;
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    void skipWhitespace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + at);
    }
  }
}
