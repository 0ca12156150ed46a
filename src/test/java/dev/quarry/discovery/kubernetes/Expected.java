package dev.quarry.discovery.kubernetes;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A target group as the tests pin it: source, group labels and the set of target label sets
 * (Prometheus' target order within a group follows Go map iteration, so order is not compared).
 * Label names are written without {@code __meta_kubernetes_}; names starting with {@code __} and
 * {@code instance} are taken as they are.
 */
record Expected(String source, Map<String, String> labels, Set<Map<String, String>> targets) {

  static Expected of(TargetGroup g) {
    return new Expected(
        g.source(),
        new TreeMap<>(g.labels().toMap()),
        g.targets().stream()
            .map(t -> (Map<String, String>) new TreeMap<>(t.toMap()))
            .collect(Collectors.toSet()));
  }

  static Map<String, Expected> of(List<TargetGroup> groups) {
    Map<String, Expected> out = new TreeMap<>();
    groups.forEach(g -> out.put(g.source(), of(g)));
    return out;
  }

  @SafeVarargs
  static Expected group(String source, Map<String, String> labels, Map<String, String>... targets) {
    return new Expected(
        source,
        new TreeMap<>(labels),
        Arrays.stream(targets)
            .map(t -> (Map<String, String>) new TreeMap<>(t))
            .collect(Collectors.toSet()));
  }

  /** Labels from alternating short names and values; an empty value means absent. */
  static Map<String, String> m(String... kv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      String k = kv[i];
      String name = k.startsWith("__") || k.equals("instance") ? k : "__meta_kubernetes_" + k;
      if (!kv[i + 1].isEmpty()) {
        out.put(name, kv[i + 1]);
      }
    }
    return out;
  }

  @SafeVarargs
  static Map<String, String> plus(Map<String, String>... parts) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, String> p : parts) {
      out.putAll(p);
    }
    return out;
  }

  static Map<String, Expected> index(Expected... groups) {
    Map<String, Expected> out = new TreeMap<>();
    for (Expected e : groups) {
      out.put(e.source(), e);
    }
    return out;
  }

  static Labels labels(Map<String, String> m) {
    return Labels.of(m);
  }
}
