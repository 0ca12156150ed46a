package dev.quarry.web;

import dev.quarry.config.ConfigService;
import dev.quarry.config.Durations;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.Sizes;
import dev.quarry.config.StorageMode;
import dev.quarry.storage.HeadStatistics;
import dev.quarry.wiring.StorageWiring;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /api/v1/status/buildinfo}, {@code runtimeinfo}, {@code flags} and {@code tsdb} in
 * Prometheus 2.42's shapes, for Grafana and other tools written for Prometheus. Build info reports
 * {@code version} 2.42.0, the Prometheus API Quarry implements, since clients (Grafana) choose
 * features by that number; Quarry's own version is in {@code revision} and {@code branch}. GET and
 * POST alike; stateless.
 */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusInfoResource {
  /** The Prometheus release whose API and behaviour Quarry reproduces. */
  static final String PROMETHEUS_API_VERSION = "2.42.0";

  /** Entries per ranking in the TSDB status, as Prometheus lists. */
  private static final int TOP = 10;

  private final QuarrySettings settings;
  private final ConfigService config;
  private final StorageWiring storage;
  private final String version;
  private final int port;

  StatusInfoResource(
      QuarrySettings settings,
      ConfigService config,
      StorageWiring storage,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
      @ConfigProperty(name = "quarkus.http.port", defaultValue = "9464") int port) {
    this.settings = settings;
    this.config = config;
    this.storage = storage;
    this.version = version;
    this.port = port;
  }

  @GET
  @Path("/buildinfo")
  public Map<String, Object> buildInfo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", PROMETHEUS_API_VERSION);
    m.put("revision", "quarry-" + version);
    m.put("branch", "quarry");
    m.put("buildUser", "quarry");
    m.put("buildDate", "");
    m.put("goVersion", "java" + Runtime.version());
    return ApiEnvelope.success(m);
  }

  @POST
  @Path("/buildinfo")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> buildInfoPost() {
    return buildInfo();
  }

  @GET
  @Path("/runtimeinfo")
  public Map<String, Object> runtimeInfo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "startTime",
        goTime(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())));
    m.put("CWD", java.nio.file.Path.of("").toAbsolutePath().toString());
    m.put("reloadConfigSuccess", config.lastReload().successful());
    Instant last = config.lastSuccessTime();
    m.put(
        "lastConfigTime",
        goTime(last == null ? Instant.EPOCH : last.truncatedTo(ChronoUnit.SECONDS)));
    m.put("corruptionCount", 0);
    m.put("goroutineCount", ManagementFactory.getThreadMXBean().getThreadCount());
    m.put("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
    m.put("GOGC", "");
    m.put("GODEBUG", "");
    m.put("storageRetention", retention());
    return ApiEnvelope.success(m);
  }

  @POST
  @Path("/runtimeinfo")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> runtimeInfoPost() {
    return runtimeInfo();
  }

  /**
   * Quarry's settings under the names of the Prometheus flags they stand for, and the rest under
   * their own property names; every value a string, as Prometheus shows flags.
   */
  @GET
  @Path("/flags")
  public Map<String, Object> flags() {
    QuarrySettings.Storage s = settings.storage();
    Map<String, String> f = new TreeMap<>();
    f.put("config.file", settings.configFile());
    f.put("enable-feature", "");
    f.put("query.lookback-delta", Durations.format(settings.query().lookbackDelta()));
    f.put("storage.tsdb.path", settings.dataDir());
    f.put("storage.tsdb.retention.time", Durations.format(s.retention().time()));
    f.put("storage.tsdb.retention.size", Sizes.format(s.retention().size()));
    f.put("storage.tsdb.min-block-duration", Durations.format(s.blockRange()));
    f.put(
        "web.enable-remote-write-receiver",
        String.valueOf(settings.web().enableRemoteWriteReceiver()));
    f.put("web.listen-address", ":" + port);
    f.put("quarry.storage.mode", s.mode().toString());
    f.put("quarry.storage.wal.sync", s.wal().sync());
    f.put("quarry.storage.housekeeping-interval", Durations.format(s.housekeepingInterval()));
    f.put("quarry.reload-interval", Durations.format(settings.reloadInterval()));
    f.put("quarry.remote-write.max-backlog", Sizes.format(settings.remoteWrite().maxBacklog()));
    f.put("quarry.scrape.extra-metrics", String.valueOf(settings.scrape().extraMetrics()));
    f.put("quarry.shard.count", String.valueOf(settings.shard().count()));
    f.put("quarry.shard.replication", String.valueOf(settings.shard().replication()));
    return ApiEnvelope.success(f);
  }

  @POST
  @Path("/flags")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> flagsPost() {
    return flags();
  }

  /** Cardinality of the file store's head; 422 {@code unavailable} outside server mode. */
  @GET
  @Path("/tsdb")
  @Blocking
  public Response tsdb() {
    StorageMode mode = settings.storage().mode();
    HeadStatistics h = storage.headStatistics(TOP);
    if (h == null) {
      return ApiEnvelope.error(
          Response.Status.fromStatusCode(422),
          "unavailable",
          "unavailable with Quarry in "
              + mode
              + " mode: the TSDB status needs"
              + " quarry.storage.mode=server");
    }
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("numSeries", h.numSeries());
    head.put("numLabelPairs", h.numLabelPairs());
    head.put("chunkCount", h.chunkCount());
    head.put("minTime", h.minTime());
    head.put("maxTime", h.maxTime());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("headStats", head);
    m.put("seriesCountByMetricName", stats(h.seriesCountByMetricName()));
    m.put("labelValueCountByLabelName", stats(h.labelValueCountByLabelName()));
    m.put("memoryInBytesByLabelName", stats(h.memoryInBytesByLabelName()));
    m.put("seriesCountByLabelValuePair", stats(h.seriesCountByLabelValuePair()));
    return Response.ok(ApiEnvelope.success(m)).build();
  }

  @POST
  @Path("/tsdb")
  @Blocking
  @Consumes(MediaType.WILDCARD)
  public Response tsdbPost() {
    return tsdb();
  }

  private static List<Object> stats(List<HeadStatistics.Stat> in) {
    List<Object> out = new ArrayList<>(in.size());
    for (HeadStatistics.Stat s : in) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("value", s.value());
      out.add(m);
    }
    return out;
  }

  /** As Prometheus: {@code 15d}, {@code 15d or 10GB}, or {@code 10GB}. */
  private String retention() {
    QuarrySettings.Storage.Retention r = settings.storage().retention();
    String time = Durations.format(r.time());
    long size = r.size();
    return size == 0 ? time : time + " or " + Sizes.format(size);
  }

  /** Go's JSON form of a time: RFC 3339 in UTC with the fraction's trailing zeros cut. */
  static String goTime(Instant t) {
    String s = t.toString(); // ISO-8601 UTC, fraction in groups of three digits
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    int end = s.length() - 1; // the 'Z'
    int cut = end;
    while (cut > dot + 1 && s.charAt(cut - 1) == '0') {
      cut--;
    }
    return cut == dot + 1 ? s.substring(0, dot) + "Z" : s.substring(0, cut) + "Z";
  }
}
