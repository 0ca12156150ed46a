package dev.quarry.web;

import dev.quarry.config.Durations;
import dev.quarry.http.UrlRedactor;
import dev.quarry.model.Labels;
import dev.quarry.scrape.ScrapeManager;
import dev.quarry.scrape.ScrapePool;
import dev.quarry.scrape.Target;
import dev.quarry.scrape.TargetHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /api/v1/targets} and {@code /api/v1/scrape_pools} in Prometheus' shape. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {
  /** Go's zero time, which Prometheus shows for a target never scraped. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final ScrapeManager manager;
  private final String hostName;

  TargetsResource(ScrapeManager manager) {
    this.manager = manager;
    this.hostName = localHostName();
  }

  @GET
  @Path("/targets")
  public Map<String, Object> targets(
      @QueryParam("state") String state, @QueryParam("scrapePool") String scrapePool) {
    String s = state == null ? "" : state.toLowerCase(Locale.ROOT);
    boolean showActive = s.isEmpty() || s.equals("any") || s.equals("active");
    boolean showDropped = s.isEmpty() || s.equals("any") || s.equals("dropped");
    List<Object> active = new ArrayList<>();
    List<Object> dropped = new ArrayList<>();
    Map<String, Integer> droppedCounts = new LinkedHashMap<>();
    for (ScrapePool pool : manager.pools().values()) {
      if (scrapePool != null && !scrapePool.isEmpty() && !scrapePool.equals(pool.jobName())) {
        continue;
      }
      if (showActive) {
        for (Target t : pool.activeTargets()) {
          active.add(activeTarget(pool.jobName(), t));
        }
      }
      if (showDropped) {
        for (Labels l : pool.droppedTargets()) {
          // scrapePool as Prometheus 3 gives it (2.42 has discoveredLabels only)
          dropped.add(Map.of("discoveredLabels", l.toMap(), "scrapePool", pool.jobName()));
        }
        droppedCounts.put(pool.jobName(), pool.droppedTargetCount());
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("activeTargets", active);
    data.put("droppedTargets", dropped);
    data.put("droppedTargetCounts", droppedCounts);
    return ApiEnvelope.success(data);
  }

  @GET
  @Path("/scrape_pools")
  public Map<String, Object> scrapePools() {
    return ApiEnvelope.success(Map.of("scrapePools", new ArrayList<>(manager.pools().keySet())));
  }

  /**
   * Metadata (type, help, unit) of the metric families each matching target exposed, as Prometheus'
   * {@code /api/v1/targets/metadata}: {@code match_target} selects targets by their labels, {@code
   * metric} one family, {@code limit} caps the number of entries.
   */
  @GET
  @Path("/targets/metadata")
  public jakarta.ws.rs.core.Response targetsMetadata(
      @QueryParam("match_target") String matchTarget,
      @QueryParam("metric") String metric,
      @QueryParam("limit") String limitParam) {
    int limit = -1;
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        return ApiEnvelope.error(
            jakarta.ws.rs.core.Response.Status.BAD_REQUEST, "bad_data", "limit must be a number");
      }
    }
    TargetSelector selector = null;
    if (matchTarget != null && !matchTarget.isEmpty()) {
      try {
        selector = TargetSelector.parse(matchTarget);
      } catch (IllegalArgumentException e) {
        return ApiEnvelope.error(
            jakarta.ws.rs.core.Response.Status.BAD_REQUEST, "bad_data", e.getMessage());
      }
    }
    List<Object> res = new ArrayList<>();
    for (ScrapePool pool : manager.pools().values()) {
      for (Target t : pool.activeTargets()) {
        if (limit >= 0 && res.size() >= limit) {
          break;
        }
        if (selector != null && !selector.matches(t.publicLabels())) {
          continue;
        }
        var loop = pool.loop(t);
        if (loop == null) {
          continue;
        }
        Map<String, dev.quarry.storage.Metadata> all =
            new java.util.TreeMap<>(loop.cache().allMetadata());
        if (metric == null || metric.isEmpty()) {
          all.forEach((name, md) -> res.add(metadataEntry(t, name, md)));
        } else if (all.containsKey(metric)) {
          res.add(metadataEntry(t, null, all.get(metric)));
        }
      }
    }
    return jakarta.ws.rs.core.Response.ok(ApiEnvelope.success(res)).build();
  }

  private static Map<String, Object> metadataEntry(
      Target t, String metric, dev.quarry.storage.Metadata md) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", t.publicLabels().toMap());
    if (metric != null) {
      m.put("metric", metric);
    }
    m.put("type", md.type());
    m.put("help", md.help());
    m.put("unit", md.unit());
    return m;
  }

  private Map<String, Object> activeTarget(String pool, Target t) {
    TargetHealth.Snapshot h = t.health().snapshot();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("discoveredLabels", t.discoveredLabels().toMap());
    m.put("labels", t.publicLabels().toMap());
    m.put("scrapePool", pool);
    String url = UrlRedactor.redact(t.scrapeUrl());
    m.put("scrapeUrl", url);
    m.put("globalUrl", globalUrl(url));
    m.put("lastError", UrlRedactor.redactAll(h.lastError()));
    m.put("lastScrape", h.lastScrape() == null ? ZERO_TIME : formatTime(h.lastScrape()));
    m.put("lastScrapeDuration", h.durationSeconds());
    m.put("health", h.state().text());
    // Quarry's addition: the first rules of the format's specification the last page broke.
    m.put("scrapeWarnings", t.health().warnings());
    m.put("scrapeInterval", Durations.format(t.interval()));
    m.put("scrapeTimeout", Durations.format(t.timeout()));
    return m;
  }

  /** A loopback host in the scrape URL is replaced by this machine's name, as Prometheus does. */
  private String globalUrl(String scrapeUrl) {
    try {
      URI u = URI.create(scrapeUrl);
      String host = u.getHost();
      if (host != null
          && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
        return new URI(u.getScheme(), null, hostName, u.getPort(), u.getRawPath(), null, null)
                .toString()
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      }
    } catch (Exception e) {
      // not a URI Java can read: show it unchanged
    }
    return scrapeUrl;
  }

  static String formatTime(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
