package dev.quarry.config;

import com.google.re2j.Pattern;
import dev.quarry.http.UrlRedactor;
import dev.quarry.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the service-discovery sections of a scrape config, one method per mechanism Quarry
 * implements; a mechanism of Prometheus' that Quarry lacks is an error saying so. Used by one load,
 * on its thread.
 */
final class ServiceDiscoveryParser {
  /** The mechanisms read here, by key. */
  private static final List<String> SUPPORTED_IN_ORDER =
      List.of(
          "static_configs",
          "file_sd_configs",
          "http_sd_configs",
          "kubernetes_sd_configs",
          "dns_sd_configs");

  /** The mechanisms read here, by key; a new one is added here and in {@link #parse}. */
  static final Set<String> SUPPORTED = Set.copyOf(SUPPORTED_IN_ORDER);

  /**
   * Prometheus 3's other mechanisms (its {@code discovery/install}), which Quarry does not
   * implement: each is an error saying so rather than an unknown key.
   */
  static final Set<String> UNSUPPORTED =
      Set.of(
          "aws_sd_configs",
          "azure_sd_configs",
          "consul_sd_configs",
          "digitalocean_sd_configs",
          "docker_sd_configs",
          "dockerswarm_sd_configs",
          "ec2_sd_configs",
          "ecs_sd_configs",
          "elasticache_sd_configs",
          "eureka_sd_configs",
          "gce_sd_configs",
          "hetzner_sd_configs",
          "ionos_sd_configs",
          "kuma_sd_configs",
          "lightsail_sd_configs",
          "linode_sd_configs",
          "marathon_sd_configs",
          "msk_sd_configs",
          "nerve_sd_configs",
          "nomad_sd_configs",
          "oci_sd_configs",
          "openstack_sd_configs",
          "outscale_sd_configs",
          "ovhcloud_sd_configs",
          "puppetdb_sd_configs",
          "rds_sd_configs",
          "scaleway_sd_configs",
          "serverset_sd_configs",
          "stackit_sd_configs",
          "triton_sd_configs",
          "uyuni_sd_configs",
          "vultr_sd_configs");

  private static final Pattern FILE_SD_PATH =
      Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");

  private final LoadContext ctx;

  ServiceDiscoveryParser(LoadContext ctx) {
    this.ctx = ctx;
  }

  /** Rejects the mechanisms among the keys {@code m} of a scrape config that Quarry lacks. */
  static void rejectUnsupported(Map<String, YamlCursor> m) {
    for (String key : m.keySet()) {
      if (UNSUPPORTED.contains(key)) {
        String mechanism = key.substring(0, key.length() - "_sd_configs".length());
        throw m.get(key)
            .error(
                mechanism
                    + " service discovery is not supported by Quarry (supported: "
                    + String.join(", ", SUPPORTED_IN_ORDER)
                    + ")");
      }
    }
  }

  /** Every service-discovery config among the keys {@code m} of a scrape config. */
  List<ServiceDiscoveryConfig> parse(Map<String, YamlCursor> m) {
    List<ServiceDiscoveryConfig> sd = new ArrayList<>();
    for (YamlCursor s : entries(m, "static_configs")) {
      sd.add(staticConfig(s));
    }
    for (YamlCursor s : entries(m, "file_sd_configs")) {
      sd.add(fileSd(s));
    }
    for (YamlCursor s : entries(m, "http_sd_configs")) {
      sd.add(httpSd(s));
    }
    for (YamlCursor s : entries(m, "kubernetes_sd_configs")) {
      sd.add(KubernetesSdParser.parse(ctx, s));
    }
    DnsSdParser.addAll(m.get("dns_sd_configs"), sd);
    return List.copyOf(sd);
  }

  private static List<YamlCursor> entries(Map<String, YamlCursor> m, String key) {
    return m.containsKey(key) ? m.get(key).sequence() : List.of();
  }

  private StaticConfig staticConfig(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("targetgroup.Group", Set.of("targets", "labels"));
    List<String> targets = m.containsKey("targets") ? m.get("targets").stringList() : List.of();
    if (m.containsKey("targets")) {
      List<YamlCursor> items = m.get("targets").sequence();
      for (int i = 0; i < targets.size(); i++) {
        if (targets.get(i).contains("/")) {
          throw items.get(i).error("\"" + targets.get(i) + "\" is not a valid hostname");
        }
      }
    }
    Labels labels = m.containsKey("labels") ? Fields.labels(m.get("labels")) : Labels.EMPTY;
    return new StaticConfig(List.copyOf(targets), labels);
  }

  private FileSdConfig fileSd(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("file.SDConfig", Set.of("files", "refresh_interval"));
    if (!m.containsKey("files") || m.get("files").sequence().isEmpty()) {
      throw c.error("file service discovery config must contain at least one path name");
    }
    List<String> files = new ArrayList<>();
    for (YamlCursor f : m.get("files").sequence()) {
      String p = f.string();
      if (p == null || !FILE_SD_PATH.matcher(p).matches()) {
        throw f.error("path name \"" + p + "\" is not valid for file discovery");
      }
      Path abs = ctx.dir().resolve(p).normalize();
      String name = abs.getFileName().toString();
      boolean isGlob = name.contains("*") || name.contains("?") || name.contains("[");
      if (!isGlob && !Files.exists(abs)) {
        throw f.error("file " + abs + " does not exist");
      }
      files.add(abs.toString());
    }
    Duration refresh =
        m.containsKey("refresh_interval")
            ? m.get("refresh_interval").duration()
            : Duration.ofMinutes(5);
    return new FileSdConfig(List.copyOf(files), refresh);
  }

  private HttpSdConfig httpSd(YamlCursor c) {
    Set<String> keys = new HashSet<>(HttpClientParser.KEYS);
    keys.add("url");
    keys.add("refresh_interval");
    Map<String, YamlCursor> m = c.mapping("http.SDConfig", keys);
    String url = m.containsKey("url") ? m.get("url").string() : null;
    if (url == null || url.isEmpty()) {
      throw c.error("URL is missing");
    }
    Fields.checkUrl(m.get("url"), url);
    Duration refresh =
        m.containsKey("refresh_interval")
            ? m.get("refresh_interval").duration()
            : Duration.ofSeconds(60);
    return new HttpSdConfig(
        url, refresh, ctx.http().parse(m, "http_sd " + UrlRedactor.redact(url)));
  }
}
