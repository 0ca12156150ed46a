package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.NAMESPACE;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ingress} role ({@code networking.k8s.io/v1}), as Prometheus 2.42's {@code ingress.go}:
 * one group per ingress (source {@code ingress/<ns>/<name>}), one target per rule and path with the
 * rule's host as address, scheme {@code https} when a TLS host (or wildcard {@code *.domain} of the
 * same depth) matches, and path {@code /} for a rule without paths. Stateless.
 */
final class IngressGroups {
  static final String INGRESS = PREFIX + "ingress";

  private IngressGroups() {}

  static String source(String key) {
    return "ingress/" + key;
  }

  static TargetGroup build(String key, Ingress ing, Lookup lookup) {
    Labels.Builder g = Labels.builder();
    String ns = str(ing.getMetadata().getNamespace());
    g.set(INGRESS + "_name", str(ing.getMetadata().getName()));
    g.set(NAMESPACE, ns);
    var spec = ing.getSpec();
    if (spec != null && spec.getIngressClassName() != null) {
      g.set(INGRESS + "_class_name", spec.getIngressClassName());
    }
    MetaLabels.addLabelsAndAnnotations(g, INGRESS, ing.getMetadata());
    if (lookup.attachNamespace()) {
      MetaLabels.addNamespaceMetadata(g, lookup.namespace(ns));
    }
    List<Labels> targets = new ArrayList<>();
    if (spec != null) {
      List<String> tlsHosts = new ArrayList<>();
      for (IngressTLS tls : PodGroups.nonNull(spec.getTls())) {
        tlsHosts.addAll(PodGroups.nonNull(tls.getHosts()));
      }
      for (IngressRule rule : PodGroups.nonNull(spec.getRules())) {
        String host = str(rule.getHost());
        String scheme = "http";
        for (String pattern : tlsHosts) {
          if (matchesHostnamePattern(pattern, host)) {
            scheme = "https";
            break;
          }
        }
        for (String path : paths(rule)) {
          targets.add(
              Labels.builder()
                  .set(ADDRESS, host)
                  .set(INGRESS + "_scheme", scheme)
                  .set(INGRESS + "_host", host)
                  .set(INGRESS + "_path", path)
                  .build());
        }
      }
    }
    return new TargetGroup(source(key), List.copyOf(targets), g.build());
  }

  private static List<String> paths(IngressRule rule) {
    if (rule.getHttp() == null) {
      return List.of("/");
    }
    List<String> out = new ArrayList<>();
    for (HTTPIngressPath p : PodGroups.nonNull(rule.getHttp().getPaths())) {
      out.add(p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath());
    }
    return out;
  }

  static boolean matchesHostnamePattern(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    String[] p = pattern.split("\\.", -1);
    String[] h = host.split("\\.", -1);
    if (p.length == 0 || !p[0].equals("*") || p.length != h.length) {
      return false;
    }
    for (int i = 1; i < p.length; i++) {
      if (!p[i].equals(h[i])) {
        return false;
      }
    }
    return true;
  }
}
