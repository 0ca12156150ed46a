package dev.quarry.discovery;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.model.Labels;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads Prometheus' target group list ({@code [{targets: [...], labels: {...}}, ...]}) from JSON
 * (file_sd {@code .json} files and http_sd responses) or YAML ({@code .yml}/{@code .yaml} files).
 *
 * <p>Validation follows Prometheus: a group must be an object with only {@code targets} and {@code
 * labels}; a JSON target must be a string (YAML scalars are taken as their text, as Prometheus'
 * YAML decoder does); label names must be non-empty and, like label values, valid UTF-8 (Prometheus
 * 3 accepts any UTF-8 label name); YAML keys may not repeat; a {@code null} group is an error; an
 * empty YAML document or a JSON {@code null} is an empty list. Every error names the group and
 * field, and for YAML the line. Each target becomes {@code {__address__="<target>"}}; the group
 * gets {@code metaName="<metaValue>"} and source {@code "<sourcePrefix>:<index>"}.
 *
 * <p>Stateless and thread-safe; pure CPU work, meant to run off the event loop for large inputs.
 */
final class TargetGroupParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private TargetGroupParser() {}

  private record RawGroup(List<String> targets, Map<String, String> labels) {}

  static List<TargetGroup> parseJson(
      byte[] content, String sourcePrefix, String metaName, String metaValue)
      throws TargetGroupsException {
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JacksonException e) {
      throw new TargetGroupsException(e.getOriginalMessage() + location(e));
    } catch (java.io.IOException e) {
      throw new TargetGroupsException(e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new TargetGroupsException("unexpected end of JSON input");
    }
    List<RawGroup> raw = new ArrayList<>();
    if (!root.isNull()) {
      if (!root.isArray()) {
        throw new TargetGroupsException(
            "cannot unmarshal " + jsonType(root) + " into a list of target groups");
      }
      for (int i = 0; i < root.size(); i++) {
        raw.add(jsonGroup(i, root.get(i)));
      }
    }
    return build(raw, sourcePrefix, metaName, metaValue);
  }

  static List<TargetGroup> parseYaml(
      byte[] content, String sourcePrefix, String metaName, String metaValue)
      throws TargetGroupsException {
    Node root;
    try {
      root =
          new Yaml(new LoaderOptions())
              .compose(new StringReader(new String(content, StandardCharsets.UTF_8)));
    } catch (YAMLException e) {
      throw new TargetGroupsException(e.getMessage().replace('\n', ' '));
    }
    List<RawGroup> raw = new ArrayList<>();
    if (root != null && !isNull(root)) {
      if (!(root instanceof SequenceNode seq)) {
        throw new TargetGroupsException(
            line(root) + "cannot unmarshal " + yamlType(root) + " into a list of target groups");
      }
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        raw.add(yamlGroup(i, items.get(i)));
      }
    }
    return build(raw, sourcePrefix, metaName, metaValue);
  }

  private static RawGroup jsonGroup(int i, JsonNode g) throws TargetGroupsException {
    String at = "group " + i + ": ";
    if (g.isNull()) {
      throw new TargetGroupsException(at + "nil target group item found");
    }
    if (!g.isObject()) {
      throw new TargetGroupsException(at + "expected an object, got " + jsonType(g));
    }
    List<String> targets = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = g.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      // Field names match case-insensitively, as with Prometheus' JSON decoder.
      if (f.getKey().equalsIgnoreCase("targets")) {
        if (v.isNull()) {
          continue;
        }
        if (!v.isArray()) {
          throw new TargetGroupsException(at + "targets: expected a list, got " + jsonType(v));
        }
        for (int t = 0; t < v.size(); t++) {
          JsonNode target = v.get(t);
          if (!target.isTextual()) {
            throw new TargetGroupsException(
                at + "targets[" + t + "]: expected a string, got " + jsonType(target));
          }
          targets.add(target.textValue());
        }
      } else if (f.getKey().equalsIgnoreCase("labels")) {
        if (v.isNull()) {
          continue;
        }
        if (!v.isObject()) {
          throw new TargetGroupsException(at + "labels: expected an object, got " + jsonType(v));
        }
        Iterator<Map.Entry<String, JsonNode>> ls = v.fields();
        while (ls.hasNext()) {
          Map.Entry<String, JsonNode> l = ls.next();
          if (!l.getValue().isTextual()) {
            throw new TargetGroupsException(
                at + "labels." + l.getKey() + ": expected a string, got " + jsonType(l.getValue()));
          }
          labels.put(l.getKey(), l.getValue().textValue());
        }
      } else {
        throw new TargetGroupsException(at + "unknown field \"" + f.getKey() + "\"");
      }
    }
    return new RawGroup(targets, labels);
  }

  private static RawGroup yamlGroup(int i, Node g) throws TargetGroupsException {
    String at = line(g) + "group " + i + ": ";
    if (isNull(g)) {
      throw new TargetGroupsException(at + "nil target group item found");
    }
    if (!(g instanceof MappingNode map)) {
      throw new TargetGroupsException(at + "expected a mapping, got " + yamlType(g));
    }
    List<String> targets = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    List<String> seen = new ArrayList<>();
    for (NodeTuple field : map.getValue()) {
      String key = scalar(field.getKeyNode(), at + "field name");
      if (seen.contains(key)) {
        throw new TargetGroupsException(at + "field " + key + " already set");
      }
      seen.add(key);
      Node v = field.getValueNode();
      String fat = line(v) + "group " + i + ": ";
      if (key.equals("targets")) {
        if (isNull(v)) {
          continue;
        }
        if (!(v instanceof SequenceNode seq)) {
          throw new TargetGroupsException(fat + "targets: expected a list, got " + yamlType(v));
        }
        List<Node> ts = seq.getValue();
        for (int t = 0; t < ts.size(); t++) {
          Node target = ts.get(t);
          targets.add(
              isNull(target) ? "" : scalar(target, line(target) + at + "targets[" + t + "]"));
        }
      } else if (key.equals("labels")) {
        if (isNull(v)) {
          continue;
        }
        if (!(v instanceof MappingNode lm)) {
          throw new TargetGroupsException(fat + "labels: expected a mapping, got " + yamlType(v));
        }
        for (NodeTuple l : lm.getValue()) {
          String name = scalar(l.getKeyNode(), fat + "label name");
          if (labels.containsKey(name)) {
            throw new TargetGroupsException(
                line(l.getKeyNode()) + "group " + i + ": label " + name + " already set");
          }
          Node lv = l.getValueNode();
          labels.put(
              name, isNull(lv) ? "" : scalar(lv, line(lv) + "group " + i + ": labels." + name));
        }
      } else {
        throw new TargetGroupsException(fat + "field " + key + " not found in target group");
      }
    }
    return new RawGroup(targets, labels);
  }

  private static List<TargetGroup> build(
      List<RawGroup> raw, String sourcePrefix, String metaName, String metaValue)
      throws TargetGroupsException {
    List<TargetGroup> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      RawGroup g = raw.get(i);
      Labels.Builder lb = Labels.builder();
      for (Map.Entry<String, String> l : g.labels().entrySet()) {
        if (l.getKey().isEmpty() || !wellFormed(l.getKey())) {
          throw new TargetGroupsException(
              "group " + i + ": \"" + l.getKey() + "\" is not a valid label name");
        }
        if (!wellFormed(l.getValue())) {
          throw new TargetGroupsException(
              "group " + i + ": \"" + l.getValue() + "\" is not a valid label value");
        }
        lb.set(l.getKey(), l.getValue());
      }
      lb.set(metaName, metaValue);
      List<Labels> targets = new ArrayList<>(g.targets().size());
      for (int t = 0; t < g.targets().size(); t++) {
        String addr = g.targets().get(t);
        if (!wellFormed(addr)) {
          throw new TargetGroupsException(
              "group " + i + ": targets[" + t + "]: \"" + addr + "\" is not a valid label value");
        }
        targets.add(Labels.of("__address__", addr));
      }
      out.add(new TargetGroup(sourcePrefix + ":" + i, List.copyOf(targets), lb.build()));
    }
    return List.copyOf(out);
  }

  /** True when the string encodes to valid UTF-8, i.e. holds no unpaired surrogate. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String scalar(Node n, String what) throws TargetGroupsException {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw new TargetGroupsException(
        (what.startsWith("line ") ? "" : line(n))
            + what
            + ": expected a string, got "
            + yamlType(n));
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
  }

  private static String line(Node n) {
    return n.getStartMark() == null ? "" : "line " + (n.getStartMark().getLine() + 1) + ": ";
  }

  private static String yamlType(Node n) {
    if (n instanceof SequenceNode) {
      return "a list";
    }
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    return "scalar " + ((ScalarNode) n).getValue();
  }

  private static String jsonType(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      case NULL -> "null";
      default -> "string";
    };
  }

  private static String location(JacksonException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
