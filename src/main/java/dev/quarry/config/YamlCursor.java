package dev.quarry.config;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A position in a YAML document: the node, its key path ({@code scrape_configs[2].regex}) and the
 * file, so every error names file, line and key. Reading is strict: unknown keys, repeated keys and
 * wrong types are errors.
 */
final class YamlCursor {
  private final Node node;
  private final String path;
  private final String file;
  private final int line;

  YamlCursor(Node node, String path, String file, int line) {
    this.node = node;
    this.path = path;
    this.file = file;
    this.line = line;
  }

  /**
   * The document {@code text} of file {@code name}; a YAML syntax error names the file and line.
   */
  static YamlCursor root(String text, String name) {
    try {
      LoaderOptions opts = new LoaderOptions();
      opts.setAllowDuplicateKeys(true); // reported with their line by mapping()
      Node node = new Yaml(opts).compose(new StringReader(text));
      return new YamlCursor(node, "", name, 1);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(name + ":" + line + ": yaml: " + oneLine(e.getProblem()));
    } catch (RuntimeException e) {
      throw new ConfigException(name + ":1: yaml: " + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.replace('\n', ' ').trim();
  }

  /** {@code file:line: key.path}, for errors found later about this place. */
  String where() {
    return file + ":" + line + (path.isEmpty() ? "" : ": " + path);
  }

  String path() {
    return path;
  }

  int line() {
    return line;
  }

  ConfigException error(String reason) {
    return new ConfigException(
        file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
  }

  boolean isNull() {
    return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * The mapping's entries by key, in document order. A key outside {@code known} is an error naming
   * {@code type}, as Prometheus' strict decoder does.
   */
  Map<String, YamlCursor> mapping(String type, Set<String> known) {
    Map<String, YamlCursor> out = new LinkedHashMap<>();
    if (isNull()) {
      return out;
    }
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping (key: value), got " + describe());
    }
    for (NodeTuple t : m.getValue()) {
      Node k = t.getKeyNode();
      int keyLine = k.getStartMark().getLine() + 1;
      if (!(k instanceof ScalarNode ks)) {
        throw new YamlCursor(k, path, file, keyLine).error("mapping key must be a string");
      }
      String key = ks.getValue();
      YamlCursor value = new YamlCursor(t.getValueNode(), child(key), file, keyLine);
      if (known != null && !known.contains(key)) {
        throw value.error("field " + key + " not found in type " + type);
      }
      if (out.put(key, value) != null) {
        throw value.error("mapping key \"" + key + "\" already defined");
      }
    }
    return out;
  }

  List<YamlCursor> sequence() {
    List<YamlCursor> out = new ArrayList<>();
    if (isNull()) {
      return out;
    }
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list, got " + describe());
    }
    int i = 0;
    for (Node n : s.getValue()) {
      out.add(new YamlCursor(n, path + "[" + i++ + "]", file, n.getStartMark().getLine() + 1));
    }
    return out;
  }

  String string() {
    if (isNull()) {
      return null;
    }
    if (!(node instanceof ScalarNode s)) {
      throw error("expected a string, got " + describe());
    }
    return s.getValue();
  }

  boolean bool() {
    String s = string();
    return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("cannot unmarshal " + quote(s) + " into bool");
    };
  }

  long integer() {
    String s = string();
    try {
      return Long.parseLong(s == null ? "" : s.trim());
    } catch (NumberFormatException e) {
      throw error("cannot unmarshal " + quote(s) + " into int");
    }
  }

  Duration duration() {
    try {
      return Durations.parse(string());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  long size() {
    try {
      return Sizes.parse(string());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  List<String> stringList() {
    List<String> out = new ArrayList<>();
    for (YamlCursor c : sequence()) {
      String s = c.string();
      if (s == null) {
        throw c.error("expected a string, got null");
      }
      out.add(s);
    }
    return out;
  }

  Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlCursor> e : mapping("map", null).entrySet()) {
      String v = e.getValue().string();
      out.put(e.getKey(), v == null ? "" : v);
    }
    return out;
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return quote(((ScalarNode) node).getValue());
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
