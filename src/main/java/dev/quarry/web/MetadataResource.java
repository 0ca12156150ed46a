package dev.quarry.web;

import dev.quarry.query.QueryException;
import dev.quarry.scrape.ScrapeLoop;
import dev.quarry.scrape.ScrapeManager;
import dev.quarry.scrape.ScrapePool;
import dev.quarry.scrape.Target;
import dev.quarry.storage.Metadata;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /api/v1/metadata} (per metric name, the distinct type/help/unit triples the active targets
 * exposed, from their scrape caches; {@code metric}, {@code limit} on names and {@code
 * limit_per_metric} as in Prometheus) and {@code /api/v1/query_exemplars} (the file store keeps no
 * exemplars for reading, so the answer is always an empty list once the parameters are valid). GET
 * and POST with form bodies; stateless.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class MetadataResource {
  private final ScrapeManager manager;

  MetadataResource(ScrapeManager manager) {
    this.manager = manager;
  }

  @GET
  @Path("/metadata")
  public Response metadata(@Context UriInfo uri) {
    return metadata(ApiParams.of(uri, null));
  }

  @POST
  @Path("/metadata")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response metadataPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return metadata(ApiParams.of(uri, form));
  }

  @GET
  @Path("/query_exemplars")
  public Response exemplars(@Context UriInfo uri) {
    return exemplars(ApiParams.of(uri, null));
  }

  @POST
  @Path("/query_exemplars")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response exemplarsPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return exemplars(ApiParams.of(uri, form));
  }

  private Response metadata(MultivaluedMap<String, String> p) {
    int limit;
    int perMetric;
    try {
      limit = number(p, "limit");
      perMetric = number(p, "limit_per_metric");
    } catch (QueryException e) {
      return ApiEnvelope.error(Response.Status.BAD_REQUEST, "bad_data", e.getMessage());
    }
    List<Map<String, Metadata>> caches = new ArrayList<>();
    for (ScrapePool pool : manager.pools().values()) {
      for (Target t : pool.activeTargets()) {
        ScrapeLoop loop = pool.loop(t);
        if (loop != null) {
          caches.add(loop.cache().allMetadata());
        }
      }
    }
    return Response.ok(
            ApiEnvelope.success(collect(caches, ApiParams.get(p, "metric"), limit, perMetric)))
        .build();
  }

  /**
   * Metric name to its distinct metadata, names sorted: only {@code metric} when it is not empty,
   * at most {@code limit} names when it is not negative, at most {@code perMetric} entries per name
   * when it is positive.
   */
  static Map<String, List<Map<String, String>>> collect(
      List<Map<String, Metadata>> caches, String metric, int limit, int perMetric) {
    TreeMap<String, Set<Metadata>> all = new TreeMap<>();
    for (Map<String, Metadata> cache : caches) {
      if (metric.isEmpty()) {
        cache.forEach((name, md) -> all.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(md));
      } else if (cache.get(metric) != null) {
        all.computeIfAbsent(metric, k -> new LinkedHashSet<>()).add(cache.get(metric));
      }
    }
    Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Set<Metadata>> e : all.entrySet()) {
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      List<Map<String, String>> list = new ArrayList<>();
      for (Metadata md : e.getValue()) {
        if (perMetric > 0 && list.size() >= perMetric) {
          break;
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", md.type());
        m.put("help", md.help());
        m.put("unit", md.unit());
        list.add(m);
      }
      out.put(e.getKey(), list);
    }
    return out;
  }

  private static int number(MultivaluedMap<String, String> p, String name) {
    String s = ApiParams.get(p, name);
    if (s.isEmpty()) {
      return -1;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new QueryException(name + " must be a number");
    }
  }

  private static Response exemplars(MultivaluedMap<String, String> p) {
    try {
      long start = QueryResource.time(p, "start", Long.MIN_VALUE / 4);
      long end = QueryResource.time(p, "end", Long.MAX_VALUE / 4);
      if (end < start) {
        throw new QueryException("end timestamp must not be before start timestamp");
      }
      if (ApiParams.get(p, "query").isBlank()) {
        throw new QueryException("1:1: parse error: no expression found in input");
      }
    } catch (QueryException e) {
      return ApiEnvelope.error(Response.Status.BAD_REQUEST, "bad_data", e.getMessage());
    }
    return Response.ok(ApiEnvelope.success(List.of())).build();
  }
}
