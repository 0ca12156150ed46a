package dev.quarry.config;

import dev.quarry.config.KubernetesSdConfig.Namespaces;
import dev.quarry.config.KubernetesSdConfig.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code kubernetes_sd_configs} entry with Prometheus' checks and error wording ({@code
 * discovery/kubernetes} {@code SDConfig.UnmarshalYAML}), each error naming file, line and key.
 */
final class KubernetesSdParser {
  private static final Set<String> KEYS;
  private static final Map<String, List<String>> ALLOWED_SELECTORS = new LinkedHashMap<>();

  static {
    Set<String> k = new HashSet<>(HttpClientParser.KEYS);
    k.addAll(
        Set.of(
            "api_server",
            "role",
            "kubeconfig_file",
            "namespaces",
            "selectors",
            "attach_metadata",
            "oauth2"));
    KEYS = Set.copyOf(k);
    ALLOWED_SELECTORS.put("pod", List.of("pod", "node"));
    ALLOWED_SELECTORS.put("service", List.of("service"));
    ALLOWED_SELECTORS.put("endpointslice", List.of("pod", "service", "endpointslice"));
    ALLOWED_SELECTORS.put("endpoints", List.of("pod", "service", "endpoints"));
    ALLOWED_SELECTORS.put("node", List.of("node"));
    ALLOWED_SELECTORS.put("ingress", List.of("ingress"));
  }

  private KubernetesSdParser() {}

  static KubernetesSdConfig parse(LoadContext ctx, YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("kubernetes.SDConfig", KEYS);
    if (m.containsKey("oauth2")) {
      throw m.get("oauth2").error("oauth2 is not supported by Quarry");
    }
    String role = m.containsKey("role") ? role(m.get("role")) : null;
    Namespaces namespaces = namespaces(m.get("namespaces"));
    List<Selector> selectors = new ArrayList<>();
    List<YamlCursor> selectorAt = new ArrayList<>();
    if (m.containsKey("selectors")) {
      for (YamlCursor s : m.get("selectors").sequence()) {
        Map<String, YamlCursor> sm =
            s.mapping("kubernetes.SelectorConfig", Set.of("role", "label", "field"));
        String r = sm.containsKey("role") ? role(sm.get("role")) : "";
        selectors.add(new Selector(r, orEmpty(sm.get("label")), orEmpty(sm.get("field"))));
        selectorAt.add(s);
      }
    }
    boolean attachNode = false;
    boolean attachNamespace = false;
    if (m.containsKey("attach_metadata")) {
      Map<String, YamlCursor> a =
          m.get("attach_metadata")
              .mapping(
                  "kubernetes.AttachMetadataConfig",
                  Set.of("node", "namespace", "deployment", "job", "cronjob"));
      for (String k : List.of("deployment", "job", "cronjob")) {
        if (a.containsKey(k) && a.get(k).bool()) {
          throw a.get(k).error("attach_metadata." + k + " is not supported by Quarry");
        }
      }
      attachNode = a.containsKey("node") && a.get("node").bool();
      attachNamespace = a.containsKey("namespace") && a.get("namespace").bool();
    }
    if (role == null || role.isEmpty()) {
      throw c.error("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
    }
    HttpClientConfig http = ctx.http().parse(m, "kubernetes_sd");
    String apiServer = null;
    if (m.containsKey("api_server") && !m.get("api_server").isNull()) {
      apiServer = m.get("api_server").string();
      Fields.checkUrl(m.get("api_server"), apiServer);
    }
    String kubeconfig = null;
    if (m.containsKey("kubeconfig_file") && !m.get("kubeconfig_file").isNull()) {
      String k = m.get("kubeconfig_file").string();
      kubeconfig = k.isEmpty() ? null : ctx.resolve(k);
    }
    boolean customHttp = !http.equals(HttpClientConfig.DEFAULT);
    if (apiServer != null && kubeconfig != null) {
      throw c.error("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    }
    if (kubeconfig != null && customHttp) {
      throw c.error(
          "cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
    }
    if (apiServer == null && customHttp) {
      throw c.error(
          "to use custom HTTP client configuration please provide the 'api_server' URL"
              + " explicitly");
    }
    if (apiServer != null && namespaces.ownNamespace()) {
      throw c.error("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
    }
    if (kubeconfig != null && namespaces.ownNamespace()) {
      throw c.error("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
    }
    Authorization authz = http.authorization();
    if (authz != null && !authz.type().equalsIgnoreCase("Bearer")) {
      throw m.get("authorization")
          .error(
              "authorization type \""
                  + authz.type()
                  + "\" is not supported by Quarry's"
                  + " Kubernetes client (only Bearer)");
    }
    if (!http.followRedirects() && m.containsKey("follow_redirects")) {
      // Accepted so that Prometheus' files load, but fabric8's client always follows redirects.
      ctx.warn(
          m.get("follow_redirects"),
          "follow_redirects: false is not honoured by"
              + " Quarry's Kubernetes client, which follows redirects");
    }
    if (http.tlsConfig().serverName() != null) {
      throw m.get("tls_config")
          .error("tls_config.server_name is not supported by Quarry's" + " Kubernetes client");
    }
    Set<String> seen = new HashSet<>();
    List<String> allowed = ALLOWED_SELECTORS.get(role);
    for (int i = 0; i < selectors.size(); i++) {
      Selector s = selectors.get(i);
      YamlCursor at = selectorAt.get(i);
      if (!seen.add(s.role())) {
        throw at.error("duplicated selector role: " + s.role());
      }
      if (!allowed.contains(s.role())) {
        throw at.error(role + " role supports only " + String.join(", ", allowed) + " selectors");
      }
      try {
        FieldSelector.parse(s.field());
      } catch (IllegalArgumentException e) {
        throw at.error(e.getMessage());
      }
    }
    return new KubernetesSdConfig(
        role,
        apiServer,
        kubeconfig,
        http,
        namespaces,
        List.copyOf(selectors),
        attachNode,
        attachNamespace);
  }

  private static String role(YamlCursor c) {
    String r = c.string();
    if (r == null || !KubernetesSdConfig.ROLES.contains(r)) {
      throw c.error("unknown Kubernetes SD role \"" + (r == null ? "" : r) + "\"");
    }
    return r;
  }

  private static Namespaces namespaces(YamlCursor c) {
    if (c == null || c.isNull()) {
      return Namespaces.ALL;
    }
    Map<String, YamlCursor> m =
        c.mapping("kubernetes.NamespaceDiscovery", Set.of("own_namespace", "names"));
    boolean own = m.containsKey("own_namespace") && m.get("own_namespace").bool();
    List<String> names = m.containsKey("names") ? m.get("names").stringList() : List.of();
    return new Namespaces(own, List.copyOf(names));
  }

  private static String orEmpty(YamlCursor c) {
    return c == null || c.isNull() ? "" : c.string();
  }
}
