package dev.quarry.config;

import com.google.re2j.Pattern;
import dev.quarry.http.UrlRedactor;
import dev.quarry.model.Labels;
import dev.quarry.relabel.RelabelAction;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.RelabelConfigException;
import dev.quarry.relabel.RelabelValidation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code prometheus.yml} strictly, as Prometheus does: unknown keys, wrong types, bad
 * durations, sizes and regexes are errors naming the file, line and key path. Defaults are resolved
 * once (global, then Prometheus' own). Keys of a real Prometheus config that Quarry does not act on
 * (rules, alerting, remote_read, storage, tracing, otlp) are accepted and ignored; service
 * discovery mechanisms Quarry does not implement are an error saying so.
 */
public final class ConfigLoader {
  private static final Set<String> TOP =
      Set.of(
          "global",
          "scrape_configs",
          "scrape_config_files",
          "remote_write",
          "rule_files",
          "alerting",
          "remote_read",
          "storage",
          "tracing",
          "otlp",
          "runtime");
  private static final Set<String> GLOBAL =
      Set.of(
          "scrape_interval",
          "scrape_timeout",
          "scrape_protocols",
          "evaluation_interval",
          "rule_query_offset",
          "external_labels",
          "query_log_file",
          "scrape_failure_log_file",
          "body_size_limit",
          "sample_limit",
          "target_limit",
          "label_limit",
          "label_name_length_limit",
          "label_value_length_limit",
          "keep_dropped_targets",
          "metric_name_validation_scheme",
          "metric_name_escaping_scheme",
          "always_scrape_classic_histograms",
          "convert_classic_histograms_to_nhcb");
  static final Set<String> HTTP_CLIENT =
      Set.of(
          "basic_auth",
          "authorization",
          "oauth2",
          "tls_config",
          "proxy_url",
          "no_proxy",
          "proxy_from_environment",
          "proxy_connect_header",
          "follow_redirects",
          "enable_http2",
          "bearer_token",
          "bearer_token_file",
          "http_headers");
  private static final Set<String> SCRAPE;
  private static final Set<String> UNSUPPORTED_SD =
      Set.of(
          "azure_sd_configs",
          "consul_sd_configs",
          "digitalocean_sd_configs",
          "docker_sd_configs",
          "dockerswarm_sd_configs",
          "dns_sd_configs",
          "ec2_sd_configs",
          "eureka_sd_configs",
          "gce_sd_configs",
          "hetzner_sd_configs",
          "ionos_sd_configs",
          "kuma_sd_configs",
          "lightsail_sd_configs",
          "linode_sd_configs",
          "marathon_sd_configs",
          "nerve_sd_configs",
          "nomad_sd_configs",
          "openstack_sd_configs",
          "ovhcloud_sd_configs",
          "puppetdb_sd_configs",
          "scaleway_sd_configs",
          "serverset_sd_configs",
          "triton_sd_configs",
          "uyuni_sd_configs",
          "vultr_sd_configs",
          "stackit_sd_configs");
  private static final Set<String> REMOTE_WRITE;
  private static final Pattern FILE_SD_PATH =
      Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

  static {
    Set<String> s =
        new HashSet<>(
            Set.of(
                "job_name",
                "honor_labels",
                "honor_timestamps",
                "track_timestamps_staleness",
                "scrape_interval",
                "scrape_timeout",
                "scrape_protocols",
                "fallback_scrape_protocol",
                "scrape_classic_histograms",
                "always_scrape_classic_histograms",
                "convert_classic_histograms_to_nhcb",
                "scrape_native_histograms",
                "metrics_path",
                "scheme",
                "params",
                "enable_compression",
                "body_size_limit",
                "sample_limit",
                "target_limit",
                "label_limit",
                "label_name_length_limit",
                "label_value_length_limit",
                "native_histogram_bucket_limit",
                "native_histogram_min_bucket_factor",
                "keep_dropped_targets",
                "metric_name_validation_scheme",
                "metric_name_escaping_scheme",
                "relabel_configs",
                "metric_relabel_configs",
                "static_configs",
                "file_sd_configs",
                "http_sd_configs",
                "kubernetes_sd_configs"));
    s.addAll(HTTP_CLIENT);
    s.addAll(UNSUPPORTED_SD);
    SCRAPE = Set.copyOf(s);
    Set<String> rw =
        new HashSet<>(
            Set.of(
                "url",
                "name",
                "remote_timeout",
                "headers",
                "write_relabel_configs",
                "queue_config",
                "metadata_config",
                "send_exemplars",
                "send_native_histograms",
                "protobuf_message",
                "sigv4",
                "azuread",
                "google_iam",
                "oauth2",
                "round_robin_dns"));
    rw.addAll(HTTP_CLIENT);
    REMOTE_WRITE = Set.copyOf(rw);
  }

  private final Path file;
  private final Path dir;
  private final String fileName;

  private ConfigLoader(Path file) {
    this.file = file;
    this.dir = file.toAbsolutePath().getParent();
    this.fileName = file.toString();
  }

  /**
   * Loads and validates {@code file}.
   *
   * @throws ConfigException naming file, line and key path
   */
  public static PrometheusConfig load(Path file) {
    ConfigLoader l = new ConfigLoader(file);
    YamlCursor root = l.read(file, file.toString());
    return l.parse(root);
  }

  private YamlCursor read(Path path, String name) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read config file: " + e);
    }
    return YamlCursor.root(text, name);
  }

  private PrometheusConfig parse(YamlCursor root) {
    Map<String, YamlCursor> top = root.mapping("config.Config", TOP);
    GlobalConfig global =
        top.containsKey("global") ? parseGlobal(top.get("global")) : GlobalConfig.DEFAULT;
    List<ScrapeConfig> jobs = new ArrayList<>();
    Map<String, YamlCursor> seen = new LinkedHashMap<>();
    if (top.containsKey("scrape_configs")) {
      for (YamlCursor c : top.get("scrape_configs").sequence()) {
        addJob(jobs, seen, parseScrapeConfig(c, global));
      }
    }
    if (top.containsKey("scrape_config_files")) {
      for (YamlCursor pattern : top.get("scrape_config_files").sequence()) {
        for (Path p : glob(pattern)) {
          YamlCursor other = read(p, p.toString());
          Map<String, YamlCursor> m =
              other.mapping("config.ScrapeConfigs", Set.of("scrape_configs"));
          if (m.containsKey("scrape_configs")) {
            for (YamlCursor c : m.get("scrape_configs").sequence()) {
              addJob(jobs, seen, parseScrapeConfig(c, global));
            }
          }
        }
      }
    }
    List<RemoteWriteConfig> remotes = new ArrayList<>();
    if (top.containsKey("remote_write")) {
      Set<String> names = new HashSet<>();
      for (YamlCursor c : top.get("remote_write").sequence()) {
        RemoteWriteConfig rw = parseRemoteWrite(c);
        if (rw.name() != null && !names.add(rw.name())) {
          throw c.error("found multiple remote write configs with job name \"" + rw.name() + "\"");
        }
        remotes.add(rw);
      }
    }
    return new PrometheusConfig(global, List.copyOf(jobs), List.copyOf(remotes), file);
  }

  private record Job(ScrapeConfig config, YamlCursor at) {}

  private static void addJob(List<ScrapeConfig> jobs, Map<String, YamlCursor> seen, Job job) {
    String name = job.config().jobName();
    if (seen.put(name, job.at()) != null) {
      throw job.at().error("found multiple scrape configs with job name \"" + name + "\"");
    }
    jobs.add(job.config());
  }

  private List<Path> glob(YamlCursor pattern) {
    String p = pattern.string();
    Path abs = dir.resolve(p);
    if (!ConfigSources.isGlob(abs.getFileName().toString()) && !Files.exists(abs)) {
      throw pattern.error("file " + abs + " does not exist");
    }
    return ConfigSources.expand(dir, p);
  }

  private GlobalConfig parseGlobal(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.GlobalConfig", GLOBAL);
    GlobalConfig d = GlobalConfig.DEFAULT;
    Duration interval =
        m.containsKey("scrape_interval") ? m.get("scrape_interval").duration() : d.scrapeInterval();
    Duration timeout;
    if (m.containsKey("scrape_timeout")) {
      timeout = m.get("scrape_timeout").duration();
      if (timeout.compareTo(interval) > 0) {
        throw m.get("scrape_timeout").error("global scrape timeout greater than scrape interval");
      }
    } else {
      timeout = d.scrapeTimeout().compareTo(interval) > 0 ? interval : d.scrapeTimeout();
    }
    if (interval.isZero()) {
      throw m.get("scrape_interval").error("scrape interval must be greater than 0");
    }
    Duration eval =
        m.containsKey("evaluation_interval")
            ? m.get("evaluation_interval").duration()
            : d.evaluationInterval();
    Labels external =
        m.containsKey("external_labels") ? labels(m.get("external_labels")) : Labels.EMPTY;
    List<String> protocols =
        m.containsKey("scrape_protocols")
            ? protocols(m.get("scrape_protocols"))
            : d.scrapeProtocols();
    return new GlobalConfig(
        interval,
        timeout,
        eval,
        external,
        protocols,
        sizeOr(m, "body_size_limit", 0),
        intOr(m, "sample_limit", 0),
        intOr(m, "label_limit", 0),
        intOr(m, "label_name_length_limit", 0),
        intOr(m, "label_value_length_limit", 0),
        intOr(m, "target_limit", 0),
        intOr(m, "keep_dropped_targets", 0));
  }

  private Job parseScrapeConfig(YamlCursor c, GlobalConfig g) {
    Map<String, YamlCursor> m = c.mapping("config.ScrapeConfig", SCRAPE);
    for (String key : m.keySet()) {
      if (UNSUPPORTED_SD.contains(key)) {
        throw m.get(key)
            .error(
                key
                    + " is not supported by Quarry (supported: static_configs, file_sd_configs,"
                    + " http_sd_configs, kubernetes_sd_configs)");
      }
    }
    String job = m.containsKey("job_name") ? m.get("job_name").string() : null;
    if (job == null || job.isEmpty()) {
      throw c.error("job_name is empty");
    }
    Duration interval =
        m.containsKey("scrape_interval") ? m.get("scrape_interval").duration() : g.scrapeInterval();
    if (interval.isZero()) {
      throw m.get("scrape_interval").error("scrape interval must be greater than 0");
    }
    Duration timeout;
    if (m.containsKey("scrape_timeout")) {
      timeout = m.get("scrape_timeout").duration();
      if (timeout.compareTo(interval) > 0) {
        throw m.get("scrape_timeout")
            .error(
                "scrape timeout greater than scrape interval for scrape config with job name \""
                    + job
                    + "\"");
      }
    } else {
      timeout = g.scrapeTimeout().compareTo(interval) > 0 ? interval : g.scrapeTimeout();
    }
    List<String> protocols =
        m.containsKey("scrape_protocols")
            ? protocols(m.get("scrape_protocols"))
            : g.scrapeProtocols();
    String fallback = null;
    if (m.containsKey("fallback_scrape_protocol")) {
      fallback = m.get("fallback_scrape_protocol").string();
      protocol(m.get("fallback_scrape_protocol"), fallback);
    }
    String scheme = stringOr(m, "scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw m.get("scheme").error("unknown scrape config scheme \"" + scheme + "\"");
    }
    String metricsPath = stringOr(m, "metrics_path", "/metrics");
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (m.containsKey("params")) {
      for (Map.Entry<String, YamlCursor> e :
          m.get("params").mapping("url.Values", null).entrySet()) {
        params.put(e.getKey(), List.copyOf(e.getValue().stringList()));
      }
    }
    List<ServiceDiscoveryConfig> sd = new ArrayList<>();
    if (m.containsKey("static_configs")) {
      for (YamlCursor s : m.get("static_configs").sequence()) {
        sd.add(staticConfig(s));
      }
    }
    if (m.containsKey("file_sd_configs")) {
      for (YamlCursor s : m.get("file_sd_configs").sequence()) {
        sd.add(fileSd(s));
      }
    }
    if (m.containsKey("http_sd_configs")) {
      for (YamlCursor s : m.get("http_sd_configs").sequence()) {
        sd.add(httpSd(s));
      }
    }
    if (m.containsKey("kubernetes_sd_configs")) {
      for (YamlCursor s : m.get("kubernetes_sd_configs").sequence()) {
        sd.add(KubernetesSdParser.parse(this, s));
      }
    }
    ScrapeConfig sc =
        new ScrapeConfig(
            job,
            interval,
            timeout,
            protocols,
            fallback,
            metricsPath,
            scheme,
            Map.copyOf(params),
            boolOr(m, "honor_labels", false),
            boolOr(m, "honor_timestamps", true),
            boolOr(m, "track_timestamps_staleness", false),
            boolOr(m, "enable_compression", true),
            orGlobal(sizeOr(m, "body_size_limit", 0), g.bodySizeLimit()),
            orGlobal(intOr(m, "sample_limit", 0), g.sampleLimit()),
            orGlobal(intOr(m, "label_limit", 0), g.labelLimit()),
            orGlobal(intOr(m, "label_name_length_limit", 0), g.labelNameLengthLimit()),
            orGlobal(intOr(m, "label_value_length_limit", 0), g.labelValueLengthLimit()),
            orGlobal(intOr(m, "target_limit", 0), g.targetLimit()),
            orGlobal(intOr(m, "keep_dropped_targets", 0), g.keepDroppedTargets()),
            httpClient(m, "job \"" + job + "\""),
            relabelConfigs(m.get("relabel_configs")),
            relabelConfigs(m.get("metric_relabel_configs")),
            List.copyOf(sd));
    return new Job(sc, c);
  }

  private static long orGlobal(long job, long global) {
    return job != 0 ? job : global;
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
    Labels labels = m.containsKey("labels") ? labels(m.get("labels")) : Labels.EMPTY;
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
      Path abs = dir.resolve(p).normalize();
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
    Set<String> keys = new HashSet<>(HTTP_CLIENT);
    keys.add("url");
    keys.add("refresh_interval");
    Map<String, YamlCursor> m = c.mapping("http.SDConfig", keys);
    String url = m.containsKey("url") ? m.get("url").string() : null;
    if (url == null || url.isEmpty()) {
      throw c.error("URL is missing");
    }
    checkUrl(m.get("url"), url);
    Duration refresh =
        m.containsKey("refresh_interval")
            ? m.get("refresh_interval").duration()
            : Duration.ofSeconds(60);
    return new HttpSdConfig(url, refresh, httpClient(m, "http_sd " + UrlRedactor.redact(url)));
  }

  static void checkUrl(YamlCursor at, String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      String s = u.getScheme();
      if (s == null || !(s.equals("http") || s.equals("https"))) {
        throw at.error("URL scheme must be 'http' or 'https'");
      }
      if (u.getHost() == null || u.getHost().isEmpty()) {
        throw at.error("host is missing in URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw at.error("parse \"" + UrlRedactor.redact(url) + "\": " + e.getReason());
    }
  }

  private RemoteWriteConfig parseRemoteWrite(YamlCursor c) {
    Map<String, YamlCursor> m = c.mapping("config.RemoteWriteConfig", REMOTE_WRITE);
    SigV4Config sigv4 = AuthParser.remoteWrite(m);
    String url = m.containsKey("url") ? m.get("url").string() : null;
    if (url == null || url.isEmpty()) {
      throw c.error("url for remote_write is empty");
    }
    checkUrl(m.get("url"), url);
    Map<String, String> headers =
        m.containsKey("headers") ? m.get("headers").stringMap() : Map.of();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String k = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (k.equals("authorization")
          || k.equals("content-type")
          || k.equals("content-encoding")
          || k.equals("user-agent")
          || k.equals("x-prometheus-remote-write-version")) {
        throw m.get("headers").error(h.getKey() + " is a reserved header. It must not be changed");
      }
    }
    QueueConfig q = QueueConfig.DEFAULT;
    if (m.containsKey("queue_config")) {
      Map<String, YamlCursor> qm =
          m.get("queue_config")
              .mapping(
                  "config.QueueConfig",
                  Set.of(
                      "capacity",
                      "max_shards",
                      "min_shards",
                      "max_samples_per_send",
                      "batch_send_deadline",
                      "min_backoff",
                      "max_backoff",
                      "retry_on_http_429",
                      "sample_age_limit"));
      q =
          new QueueConfig(
              (int) intOr(qm, "capacity", q.capacity()),
              (int) intOr(qm, "max_shards", q.maxShards()),
              (int) intOr(qm, "min_shards", q.minShards()),
              (int) intOr(qm, "max_samples_per_send", q.maxSamplesPerSend()),
              durationOr(qm, "batch_send_deadline", q.batchSendDeadline()),
              durationOr(qm, "min_backoff", q.minBackoff()),
              durationOr(qm, "max_backoff", q.maxBackoff()),
              boolOr(qm, "retry_on_http_429", q.retryOnHttp429()),
              durationOr(qm, "sample_age_limit", q.sampleAgeLimit()));
    }
    MetadataConfig md = MetadataConfig.DEFAULT;
    if (m.containsKey("metadata_config")) {
      Map<String, YamlCursor> mm =
          m.get("metadata_config")
              .mapping(
                  "config.MetadataConfig", Set.of("send", "send_interval", "max_samples_per_send"));
      md =
          new MetadataConfig(
              boolOr(mm, "send", md.send()),
              durationOr(mm, "send_interval", md.sendInterval()),
              (int) intOr(mm, "max_samples_per_send", md.maxSamplesPerSend()));
    }
    return new RemoteWriteConfig(
        url,
        m.containsKey("name") ? m.get("name").string() : null,
        durationOr(m, "remote_timeout", Duration.ofSeconds(30)),
        Map.copyOf(headers),
        httpClient(m, "remote_write " + UrlRedactor.redact(url)),
        relabelConfigs(m.get("write_relabel_configs")),
        q,
        md,
        boolOr(m, "send_exemplars", false),
        sigv4);
  }

  HttpClientConfig httpClient(Map<String, YamlCursor> m, String owner) {
    AuthParser.checkExclusive(m);
    BasicAuth basic = null;
    if (m.containsKey("basic_auth")) {
      YamlCursor c = m.get("basic_auth");
      Map<String, YamlCursor> b =
          c.mapping(
              "config.BasicAuth", Set.of("username", "password", "password_file", "username_file"));
      String password = stringOr(b, "password", null);
      String passwordFile = stringOr(b, "password_file", null);
      if (password != null && passwordFile != null) {
        throw c.error("at most one of basic_auth password & password_file must be configured");
      }
      if (b.containsKey("username_file")) {
        throw b.get("username_file").error("username_file is not supported by Quarry");
      }
      basic = new BasicAuth(stringOr(b, "username", ""), password, resolve(passwordFile));
    }
    Authorization authz = null;
    if (m.containsKey("authorization")) {
      YamlCursor c = m.get("authorization");
      Map<String, YamlCursor> a =
          c.mapping("config.Authorization", Set.of("type", "credentials", "credentials_file"));
      String cred = stringOr(a, "credentials", null);
      String credFile = stringOr(a, "credentials_file", null);
      if (cred != null && credFile != null) {
        throw c.error(
            "at most one of authorization credentials & credentials_file must be configured");
      }
      String type = stringOr(a, "type", "Bearer");
      if (type.equalsIgnoreCase("basic")) {
        throw a.get("type")
            .error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      authz = new Authorization(type, cred, resolve(credFile));
    }
    if (m.containsKey("bearer_token") || m.containsKey("bearer_token_file")) {
      if (authz != null) {
        throw m.getOrDefault("bearer_token", m.get("bearer_token_file"))
            .error(
                "at most one of bearer_token, bearer_token_file & authorization must be "
                    + "configured");
      }
      authz =
          new Authorization(
              "Bearer",
              stringOr(m, "bearer_token", null),
              resolve(stringOr(m, "bearer_token_file", null)));
    }
    if (basic != null && authz != null) {
      throw m.get("basic_auth")
          .error(
              "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                  + "configured");
    }
    TlsConfig tls = TlsConfig.DEFAULT;
    if (m.containsKey("tls_config")) {
      Map<String, YamlCursor> t =
          m.get("tls_config")
              .mapping(
                  "config.TLSConfig",
                  Set.of(
                      "ca_file",
                      "cert_file",
                      "key_file",
                      "server_name",
                      "insecure_skip_verify",
                      "min_version",
                      "max_version",
                      "ca",
                      "cert",
                      "key"));
      String minVersion = stringOr(t, "min_version", null);
      if (minVersion != null && !Set.of("TLS10", "TLS11", "TLS12", "TLS13").contains(minVersion)) {
        throw t.get("min_version").error("unknown TLS version: " + minVersion);
      }
      boolean hasCert = t.containsKey("cert_file");
      boolean hasKey = t.containsKey("key_file");
      if (hasCert != hasKey) {
        throw m.get("tls_config")
            .error(
                "exactly one of key or key_file must be configured when a client certificate is "
                    + "configured");
      }
      tls =
          new TlsConfig(
              resolve(stringOr(t, "ca_file", null)),
              resolve(stringOr(t, "cert_file", null)),
              resolve(stringOr(t, "key_file", null)),
              stringOr(t, "server_name", null),
              boolOr(t, "insecure_skip_verify", false),
              minVersion);
    }
    String proxy = stringOr(m, "proxy_url", null);
    if (proxy != null) {
      try {
        new java.net.URI(proxy);
      } catch (java.net.URISyntaxException e) {
        throw m.get("proxy_url")
            .error("parse \"" + UrlRedactor.redact(proxy) + "\": " + e.getReason());
      }
    }
    return new HttpClientConfig(
        basic,
        authz,
        tls,
        proxy,
        boolOr(m, "follow_redirects", true),
        boolOr(m, "enable_http2", true),
        AuthParser.oauth2(this, m, owner));
  }

  String resolve(String p) {
    return p == null || p.isEmpty() ? p : dir.resolve(p).normalize().toString();
  }

  private List<RelabelConfig> relabelConfigs(YamlCursor list) {
    if (list == null) {
      return List.of();
    }
    List<RelabelConfig> out = new ArrayList<>();
    for (YamlCursor c : list.sequence()) {
      Map<String, YamlCursor> m =
          c.mapping(
              "relabel.Config",
              Set.of(
                  "source_labels",
                  "separator",
                  "regex",
                  "modulus",
                  "target_label",
                  "replacement",
                  "action"));
      try {
        RelabelAction action =
            m.containsKey("action")
                ? RelabelValidation.parseAction(m.get("action").string())
                : null;
        out.add(
            RelabelConfig.of(
                m.containsKey("source_labels") ? m.get("source_labels").stringList() : null,
                stringOr(m, "separator", null),
                stringOr(m, "regex", null),
                m.containsKey("modulus") ? m.get("modulus").integer() : null,
                stringOr(m, "target_label", null),
                stringOr(m, "replacement", null),
                action));
      } catch (RelabelConfigException e) {
        YamlCursor at = e.field() != null && m.containsKey(e.field()) ? m.get(e.field()) : c;
        throw at.error(e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private Labels labels(YamlCursor c) {
    Map<String, String> m = c.stringMap();
    for (String name : m.keySet()) {
      if (!LABEL_NAME.matcher(name).matches()) {
        throw c.error("\"" + name + "\" is not a valid label name");
      }
    }
    return Labels.of(m);
  }

  private List<String> protocols(YamlCursor c) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<YamlCursor> items = c.sequence();
    if (items.isEmpty()) {
      throw c.error("scrape_protocols cannot be empty");
    }
    for (YamlCursor item : items) {
      String p = item.string();
      protocol(item, p);
      if (!seen.add(p)) {
        throw item.error(
            "duplicated protocol in scrape_protocols, got "
                + items.stream().map(YamlCursor::string).toList());
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  private static void protocol(YamlCursor at, String p) {
    try {
      dev.quarry.textparse.ScrapeProtocol.fromConfigName(p);
    } catch (IllegalArgumentException e) {
      throw at.error(e.getMessage());
    }
  }

  private static String stringOr(Map<String, YamlCursor> m, String key, String def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.string();
  }

  private static boolean boolOr(Map<String, YamlCursor> m, String key, boolean def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.bool();
  }

  private static long intOr(Map<String, YamlCursor> m, String key, long def) {
    YamlCursor c = m.get(key);
    if (c == null || c.isNull()) {
      return def;
    }
    long v = c.integer();
    if (v < 0) {
      throw c.error("must not be negative");
    }
    return v;
  }

  private static long sizeOr(Map<String, YamlCursor> m, String key, long def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.size();
  }

  private static Duration durationOr(Map<String, YamlCursor> m, String key, Duration def) {
    YamlCursor c = m.get(key);
    return c == null || c.isNull() ? def : c.duration();
  }
}
