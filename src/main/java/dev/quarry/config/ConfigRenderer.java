package dev.quarry.config;

import dev.quarry.http.UrlRedactor;
import dev.quarry.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The loaded config as YAML, the way Prometheus' {@code /api/v1/status/config} shows it: defaults
 * filled in, Prometheus' key order, and every secret (passwords, credentials, remote-write header
 * values) shown as {@code <secret>}; the password of a URL ({@code url}, {@code proxy_url}) as
 * {@code xxxxx}, as Prometheus renders it. The output loads again with {@link ConfigLoader}.
 */
public final class ConfigRenderer {
  public static final String SECRET = "<secret>";

  private ConfigRenderer() {}

  public static String toYaml(PrometheusConfig cfg) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("global", global(cfg.global()));
    if (!cfg.scrapeConfigs().isEmpty()) {
      List<Object> jobs = new ArrayList<>();
      cfg.scrapeConfigs().forEach(j -> jobs.add(job(j)));
      root.put("scrape_configs", jobs);
    }
    if (!cfg.remoteWriteConfigs().isEmpty()) {
      List<Object> rws = new ArrayList<>();
      cfg.remoteWriteConfigs().forEach(r -> rws.add(remoteWrite(r)));
      root.put("remote_write", rws);
    }
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    o.setSplitLines(false);
    return new Yaml(o).dump(root);
  }

  private static Map<String, Object> global(GlobalConfig g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scrape_interval", Durations.format(g.scrapeInterval()));
    m.put("scrape_timeout", Durations.format(g.scrapeTimeout()));
    m.put("scrape_protocols", g.scrapeProtocols());
    m.put("evaluation_interval", Durations.format(g.evaluationInterval()));
    if (!g.externalLabels().isEmpty()) {
      m.put("external_labels", g.externalLabels().toMap());
    }
    putLimits(
        m,
        g.bodySizeLimit(),
        g.sampleLimit(),
        g.targetLimit(),
        g.labelLimit(),
        g.labelNameLengthLimit(),
        g.labelValueLengthLimit(),
        g.keepDroppedTargets());
    if (g.scrapeFailureLogFile() != null) {
      m.put("scrape_failure_log_file", g.scrapeFailureLogFile());
    }
    if (g.extraScrapeMetrics()) {
      m.put("extra_scrape_metrics", true);
    }
    return m;
  }

  private static void putLimits(
      Map<String, Object> m,
      long body,
      long sample,
      long target,
      long label,
      long nameLen,
      long valueLen,
      long keepDropped) {
    if (body > 0) {
      m.put("body_size_limit", Sizes.format(body));
    }
    putIf(m, "sample_limit", sample);
    putIf(m, "target_limit", target);
    putIf(m, "label_limit", label);
    putIf(m, "label_name_length_limit", nameLen);
    putIf(m, "label_value_length_limit", valueLen);
    putIf(m, "keep_dropped_targets", keepDropped);
  }

  private static void putIf(Map<String, Object> m, String key, long v) {
    if (v > 0) {
      m.put(key, v);
    }
  }

  private static Map<String, Object> job(ScrapeConfig j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_name", j.jobName());
    if (j.honorLabels()) {
      m.put("honor_labels", true);
    }
    m.put("honor_timestamps", j.honorTimestamps());
    m.put("track_timestamps_staleness", j.trackTimestampsStaleness());
    if (!j.params().isEmpty()) {
      m.put("params", j.params());
    }
    m.put("scrape_interval", Durations.format(j.scrapeInterval()));
    m.put("scrape_timeout", Durations.format(j.scrapeTimeout()));
    m.put("scrape_protocols", j.scrapeProtocols());
    if (j.fallbackScrapeProtocol() != null) {
      m.put("fallback_scrape_protocol", j.fallbackScrapeProtocol());
    }
    m.put("metrics_path", j.metricsPath());
    m.put("scheme", j.scheme());
    m.put("enable_compression", j.enableCompression());
    if (j.scrapeFailureLogFile() != null) {
      m.put("scrape_failure_log_file", j.scrapeFailureLogFile());
    }
    if (j.extraScrapeMetrics()) {
      m.put("extra_scrape_metrics", true);
    }
    putLimits(
        m,
        j.bodySizeLimit(),
        j.sampleLimit(),
        j.targetLimit(),
        j.labelLimit(),
        j.labelNameLengthLimit(),
        j.labelValueLengthLimit(),
        j.keepDroppedTargets());
    httpClient(m, j.httpClient());
    if (!j.relabelConfigs().isEmpty()) {
      m.put("relabel_configs", relabel(j.relabelConfigs()));
    }
    if (!j.metricRelabelConfigs().isEmpty()) {
      m.put("metric_relabel_configs", relabel(j.metricRelabelConfigs()));
    }
    List<Object> statics = new ArrayList<>();
    List<Object> files = new ArrayList<>();
    List<Object> https = new ArrayList<>();
    List<Object> kubes = new ArrayList<>();
    List<Object> dns = new ArrayList<>();
    for (ServiceDiscoveryConfig sd : j.serviceDiscoveryConfigs()) {
      if (sd instanceof StaticConfig s) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("targets", s.targets());
        if (!s.labels().isEmpty()) {
          g.put("labels", s.labels().toMap());
        }
        statics.add(g);
      } else if (sd instanceof FileSdConfig f) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("files", f.files());
        g.put("refresh_interval", Durations.format(f.refreshInterval()));
        files.add(g);
      } else if (sd instanceof HttpSdConfig h) {
        Map<String, Object> g = new LinkedHashMap<>();
        httpClient(g, h.httpClient());
        g.put("url", UrlRedactor.redact(h.url()));
        g.put("refresh_interval", Durations.format(h.refreshInterval()));
        https.add(g);
      } else if (sd instanceof KubernetesSdConfig k) {
        kubes.add(kubernetes(k));
      } else if (sd instanceof DnsSdConfig d) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("names", d.names());
        g.put("refresh_interval", Durations.format(d.refreshInterval()));
        g.put("type", d.type());
        g.put("port", d.port());
        dns.add(g);
      }
    }
    if (!dns.isEmpty()) {
      m.put("dns_sd_configs", dns);
    }
    if (!kubes.isEmpty()) {
      m.put("kubernetes_sd_configs", kubes);
    }
    if (!files.isEmpty()) {
      m.put("file_sd_configs", files);
    }
    if (!https.isEmpty()) {
      m.put("http_sd_configs", https);
    }
    if (!statics.isEmpty()) {
      m.put("static_configs", statics);
    }
    return m;
  }

  private static Map<String, Object> kubernetes(KubernetesSdConfig k) {
    Map<String, Object> g = new LinkedHashMap<>();
    putStr(g, "api_server", k.apiServer());
    g.put("role", k.role());
    putStr(g, "kubeconfig_file", k.kubeconfigFile());
    Map<String, Object> ns = new LinkedHashMap<>();
    ns.put("own_namespace", k.namespaces().ownNamespace());
    ns.put("names", k.namespaces().names());
    g.put("namespaces", ns);
    if (!k.selectors().isEmpty()) {
      List<Object> sel = new ArrayList<>();
      for (KubernetesSdConfig.Selector s : k.selectors()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("role", s.role());
        putStr(sm, "label", s.label());
        putStr(sm, "field", s.field());
        sel.add(sm);
      }
      g.put("selectors", sel);
    }
    Map<String, Object> attach = new LinkedHashMap<>();
    attach.put("node", k.attachNode());
    attach.put("namespace", k.attachNamespace());
    g.put("attach_metadata", attach);
    httpClient(g, k.httpClient());
    return g;
  }

  private static void httpClient(Map<String, Object> m, HttpClientConfig c) {
    if (c.basicAuth() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("username", c.basicAuth().username());
      if (c.basicAuth().password() != null) {
        b.put("password", SECRET);
      }
      if (c.basicAuth().passwordFile() != null) {
        b.put("password_file", c.basicAuth().passwordFile());
      }
      m.put("basic_auth", b);
    }
    if (c.authorization() != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("type", c.authorization().type());
      if (c.authorization().credentials() != null) {
        a.put("credentials", SECRET);
      }
      if (c.authorization().credentialsFile() != null) {
        a.put("credentials_file", c.authorization().credentialsFile());
      }
      m.put("authorization", a);
    }
    if (c.oauth2() != null) {
      m.put("oauth2", oauth2(c.oauth2()));
    }
    tls(m, c.tlsConfig());
    if (c.proxyUrl() != null) {
      m.put("proxy_url", UrlRedactor.redact(c.proxyUrl()));
    }
    m.put("follow_redirects", c.followRedirects());
    m.put("enable_http2", c.enableHttp2());
  }

  private static Map<String, Object> oauth2(OAuth2Config o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client_id", o.clientId());
    if (o.clientSecret() != null) {
      m.put("client_secret", SECRET);
    }
    putStr(m, "client_secret_file", o.clientSecretFile());
    if (!o.scopes().isEmpty()) {
      m.put("scopes", o.scopes());
    }
    m.put("token_url", UrlRedactor.redact(o.tokenUrl()));
    if (!o.endpointParams().isEmpty()) {
      m.put("endpoint_params", new java.util.TreeMap<>(o.endpointParams()));
    }
    tls(m, o.tlsConfig());
    if (o.proxyUrl() != null) {
      m.put("proxy_url", UrlRedactor.redact(o.proxyUrl()));
    }
    return m;
  }

  private static void tls(Map<String, Object> m, TlsConfig t) {
    if (t != null && !t.equals(TlsConfig.DEFAULT)) {
      Map<String, Object> tm = new LinkedHashMap<>();
      putStr(tm, "ca_file", t.caFile());
      putStr(tm, "cert_file", t.certFile());
      putStr(tm, "key_file", t.keyFile());
      putStr(tm, "server_name", t.serverName());
      tm.put("insecure_skip_verify", t.insecureSkipVerify());
      putStr(tm, "min_version", t.minVersion());
      m.put("tls_config", tm);
    }
  }

  private static void putStr(Map<String, Object> m, String k, String v) {
    if (v != null && !v.isEmpty()) {
      m.put(k, v);
    }
  }

  private static List<Object> relabel(List<RelabelConfig> rules) {
    List<Object> out = new ArrayList<>();
    for (RelabelConfig r : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (!r.sourceLabels().isEmpty()) {
        m.put("source_labels", r.sourceLabels());
      }
      m.put("separator", r.separator());
      m.put("regex", r.regex());
      if (r.modulus() != 0) {
        m.put("modulus", r.modulus());
      }
      if (r.targetLabel() != null) {
        m.put("target_label", r.targetLabel());
      }
      m.put("replacement", r.replacement());
      m.put("action", r.action().yamlName());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> remoteWrite(RemoteWriteConfig r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", UrlRedactor.redact(r.url()));
    m.put("remote_timeout", Durations.format(r.remoteTimeout()));
    if (!r.headers().isEmpty()) {
      Map<String, Object> h = new LinkedHashMap<>();
      r.headers().keySet().stream().sorted().forEach(k -> h.put(k, SECRET));
      m.put("headers", h);
    }
    if (r.name() != null) {
      m.put("name", r.name());
    }
    if (!r.writeRelabelConfigs().isEmpty()) {
      m.put("write_relabel_configs", relabel(r.writeRelabelConfigs()));
    }
    if (r.sendExemplars()) {
      m.put("send_exemplars", true);
    }
    httpClient(m, r.httpClient());
    if (r.sigv4() != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      putStr(s, "region", r.sigv4().region());
      putStr(s, "access_key", r.sigv4().accessKey());
      if (r.sigv4().secretKey() != null) {
        s.put("secret_key", SECRET);
      }
      putStr(s, "profile", r.sigv4().profile());
      putStr(s, "role_arn", r.sigv4().roleArn());
      m.put("sigv4", s);
    }
    QueueConfig q = r.queueConfig();
    Map<String, Object> qm = new LinkedHashMap<>();
    qm.put("capacity", q.capacity());
    qm.put("max_shards", q.maxShards());
    qm.put("min_shards", q.minShards());
    qm.put("max_samples_per_send", q.maxSamplesPerSend());
    qm.put("batch_send_deadline", Durations.format(q.batchSendDeadline()));
    qm.put("min_backoff", Durations.format(q.minBackoff()));
    qm.put("max_backoff", Durations.format(q.maxBackoff()));
    if (q.retryOnHttp429()) {
      qm.put("retry_on_http_429", true);
    }
    if (!q.sampleAgeLimit().isZero()) {
      qm.put("sample_age_limit", Durations.format(q.sampleAgeLimit()));
    }
    m.put("queue_config", qm);
    MetadataConfig md = r.metadataConfig();
    Map<String, Object> mm = new LinkedHashMap<>();
    mm.put("send", md.send());
    mm.put("send_interval", Durations.format(md.sendInterval()));
    mm.put("max_samples_per_send", md.maxSamplesPerSend());
    m.put("metadata_config", mm);
    return m;
  }
}
