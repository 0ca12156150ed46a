package dev.quarry.discovery.kubernetes;

import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * The {@code __meta_kubernetes_*} naming rules shared by every role: Prometheus' {@code
 * strutil.SanitizeLabelName} and the label/annotation pairs with their {@code …present_} twins.
 * Stateless.
 */
final class MetaLabels {
  static final String PREFIX = "__meta_kubernetes_";
  static final String NAMESPACE = PREFIX + "namespace";
  static final String ADDRESS = "__address__";
  static final String TRUE = "true";

  private MetaLabels() {}

  /** Every character outside {@code [a-zA-Z0-9_]} (a whole code point) becomes {@code _}. */
  static String sanitize(String name) {
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int n = Character.charCount(cp);
      boolean ok =
          cp == '_'
              || (cp >= 'a' && cp <= 'z')
              || (cp >= 'A' && cp <= 'Z')
              || (cp >= '0' && cp <= '9');
      if (!ok && sb == null) {
        sb = new StringBuilder(name.length()).append(name, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.append((char) cp);
        } else {
          sb.append('_');
        }
      }
      i += n;
    }
    return sb == null ? name : sb.toString();
  }

  /**
   * For each entry, {@code <prefix>_<kind>_<name>=value} and {@code
   * <prefix>_<kind>present_<name>=true}, e.g. {@code __meta_kubernetes_pod_label_app}.
   */
  static void addMap(Labels.Builder b, String prefix, String kind, Map<String, String> map) {
    if (map == null) {
      return;
    }
    String values = prefix + "_" + kind + "_";
    String present = prefix + "_" + kind + "present_";
    map.forEach(
        (k, v) -> {
          String ln = sanitize(k);
          b.set(values + ln, v);
          b.set(present + ln, TRUE);
        });
  }

  /** An object's labels and annotations: {@code <prefix>_label_…}, {@code _annotation_…}. */
  static void addLabelsAndAnnotations(Labels.Builder b, String prefix, ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    addMap(b, prefix, "label", meta.getLabels());
    addMap(b, prefix, "annotation", meta.getAnnotations());
  }

  /** {@code attach_metadata.node}: the node's name and labels (not its annotations). */
  static void addNodeMetadata(Labels.Builder b, String nodeName, Node node) {
    if (nodeName == null || node == null) {
      return;
    }
    b.set(PREFIX + "node_name", nodeName);
    addMap(b, PREFIX + "node", "label", node.getMetadata().getLabels());
  }

  /** {@code attach_metadata.namespace}: the namespace's labels and annotations. */
  static void addNamespaceMetadata(Labels.Builder b, Namespace ns) {
    if (ns != null) {
      addLabelsAndAnnotations(b, PREFIX + "namespace", ns.getMetadata());
    }
  }

  static String str(String s) {
    return s == null ? "" : s;
  }

  static String port(Integer p) {
    return Integer.toString(p == null ? 0 : p);
  }

  /** Go's {@code net.JoinHostPort}: IPv6 hosts in brackets. */
  static String joinHostPort(String host, String port) {
    String h = str(host);
    return h.indexOf(':') >= 0 ? "[" + h + "]:" + port : h + ":" + port;
  }
}
