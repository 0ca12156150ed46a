package dev.quarry.storage;

import dev.quarry.relabel.Re2Pattern;
import java.util.Objects;

/**
 * A label matcher of a series selector: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular
 * expressions are RE2, fully anchored, as in Prometheus ({@code foo} matches only "foo"). A missing
 * label has the value "", so {@code job=""} selects series without {@code job}. Immutable.
 */
public final class Matcher {
  /** The matcher's operator. */
  public enum Type {
    EQ("="),
    NEQ("!="),
    RE("=~"),
    NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Re2Pattern pattern;

  /**
   * @throws IllegalArgumentException when a regex does not compile, naming the label and pattern
   */
  public Matcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    if (type == Type.RE || type == Type.NRE) {
      try {
        this.pattern = Re2Pattern.compile(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid regular expression in matcher "
                + name
                + type.op
                + "\""
                + value
                + "\": "
                + e.getMessage(),
            e);
      }
    } else {
      this.pattern = null;
    }
  }

  public static Matcher eq(String name, String value) {
    return new Matcher(Type.EQ, name, value);
  }

  public static Matcher neq(String name, String value) {
    return new Matcher(Type.NEQ, name, value);
  }

  public static Matcher re(String name, String value) {
    return new Matcher(Type.RE, name, value);
  }

  public static Matcher nre(String name, String value) {
    return new Matcher(Type.NRE, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value ("" for a missing label) satisfies this matcher. */
  public boolean matches(String v) {
    return switch (type) {
      case EQ -> value.equals(v);
      case NEQ -> !value.equals(v);
      case RE -> pattern.matches(v);
      case NRE -> !pattern.matches(v);
    };
  }

  @Override
  public String toString() {
    return name + type.op + "\"" + value + "\"";
  }
}
