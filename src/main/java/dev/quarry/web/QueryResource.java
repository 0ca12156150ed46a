package dev.quarry.web;

import dev.quarry.config.Durations;
import dev.quarry.config.QuarrySettings;
import dev.quarry.model.Labels;
import dev.quarry.query.QueryEngine;
import dev.quarry.query.QueryException;
import dev.quarry.query.Selector;
import dev.quarry.query.SelectorParser;
import dev.quarry.storage.StorageWiring;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.file.Querier;
import dev.quarry.storage.file.Sample;
import dev.quarry.storage.file.SeriesData;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prometheus' read API over the file store, for raw data: {@code /api/v1/query} and {@code
 * /api/v1/query_range} for vector selectors (see {@link SelectorParser}), {@code /api/v1/series},
 * {@code /api/v1/labels} and {@code /api/v1/label/<name>/values}. Parameters come from the URL or
 * a form body, as in Prometheus. Reads touch the disk, so they run on worker threads. In agent
 * and memory modes there is nothing to read: 422 {@code unavailable}, like Prometheus' agent.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class QueryResource {
  // The whole time range when start or end is absent.
  private static final long MIN_TIME = Long.MIN_VALUE / 4;
  private static final long MAX_TIME = Long.MAX_VALUE / 4;

  private final StorageWiring storage;
  private final QuarrySettings settings;

  QueryResource(StorageWiring storage, QuarrySettings settings) {
    this.storage = storage;
    this.settings = settings;
  }

  @GET
  @Path("/query")
  public Response query(@Context UriInfo uri) {
    return query(uri.getQueryParameters());
  }

  @POST
  @Path("/query")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response queryPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return query(merge(uri, form));
  }

  @GET
  @Path("/query_range")
  public Response queryRange(@Context UriInfo uri) {
    return queryRange(uri.getQueryParameters());
  }

  @POST
  @Path("/query_range")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response queryRangePost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return queryRange(merge(uri, form));
  }

  @GET
  @Path("/series")
  public Response series(@Context UriInfo uri) {
    return series(uri.getQueryParameters());
  }

  @POST
  @Path("/series")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response seriesPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return series(merge(uri, form));
  }

  @GET
  @Path("/labels")
  public Response labels(@Context UriInfo uri) {
    return labels(uri.getQueryParameters());
  }

  @POST
  @Path("/labels")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response labelsPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return labels(merge(uri, form));
  }

  @GET
  @Path("/label/{name}/values")
  public Response labelValues(@PathParam("name") String name, @Context UriInfo uri) {
    MultivaluedMap<String, String> p = uri.getQueryParameters();
    return run(() -> {
      Querier q = querier();
      List<Matcher> matchers = new ArrayList<>();
      List<List<Matcher>> sets = matchSets(p, false);
      long start = time(p, "start", MIN_TIME);
      long end = time(p, "end", MAX_TIME);
      TreeSet<String> values = new TreeSet<>();
      if (sets.isEmpty()) {
        values.addAll(q.labelValues(name, matchers, start, end));
      } else {
        for (List<Matcher> set : sets) {
          values.addAll(q.labelValues(name, set, start, end));
        }
      }
      return new ArrayList<>(values);
    });
  }

  private Response query(MultivaluedMap<String, String> p) {
    return run(() -> {
      long t = time(p, "time", System.currentTimeMillis());
      Selector s = SelectorParser.parse(required(p, "query"));
      QueryEngine engine = engine();
      Map<String, Object> data = new LinkedHashMap<>();
      List<Object> result = new ArrayList<>();
      if (s.rangeMillis() > 0) {
        data.put("resultType", "matrix");
        for (SeriesData d : engine.rangeAt(s, t)) {
          result.add(matrixSeries(d));
        }
      } else {
        data.put("resultType", "vector");
        for (QueryEngine.Point pt : engine.instant(s, t)) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("metric", pt.labels().toMap());
          m.put("value", List.of(seconds(pt.timestampMillis()), formatValue(pt.value())));
          result.add(m);
        }
      }
      data.put("result", result);
      return data;
    });
  }

  private Response queryRange(MultivaluedMap<String, String> p) {
    return run(() -> {
      long start = time(p, "start", null);
      long end = time(p, "end", null);
      long step = step(required(p, "step"));
      Selector s = SelectorParser.parse(required(p, "query"));
      List<Object> result = new ArrayList<>();
      for (SeriesData d : engine().range(s, start, end, step)) {
        result.add(matrixSeries(d));
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("resultType", "matrix");
      data.put("result", result);
      return data;
    });
  }

  private Response series(MultivaluedMap<String, String> p) {
    return run(() -> {
      List<List<Matcher>> sets = matchSets(p, true);
      long start = time(p, "start", MIN_TIME);
      long end = time(p, "end", MAX_TIME);
      Querier q = querier();
      TreeSet<Labels> found = new TreeSet<>();
      for (List<Matcher> set : sets) {
        for (SeriesData d : q.select(set, start, end)) {
          found.add(d.labels());
        }
      }
      List<Object> out = new ArrayList<>();
      for (Labels l : found) {
        out.add(l.toMap());
      }
      return out;
    });
  }

  private Response labels(MultivaluedMap<String, String> p) {
    return run(() -> {
      List<List<Matcher>> sets = matchSets(p, false);
      long start = time(p, "start", MIN_TIME);
      long end = time(p, "end", MAX_TIME);
      Querier q = querier();
      TreeSet<String> names = new TreeSet<>();
      if (sets.isEmpty()) {
        names.addAll(q.labelNames(List.of(), start, end));
      } else {
        for (List<Matcher> set : sets) {
          names.addAll(q.labelNames(set, start, end));
        }
      }
      return new ArrayList<>(names);
    });
  }

  // ---- helpers

  private interface Body {
    Object get();
  }

  /** Runs a read and wraps its result or error in Prometheus' envelope. */
  private Response run(Body body) {
    try {
      return Response.ok(ApiEnvelope.success(body.get())).build();
    } catch (Unavailable e) {
      return ApiEnvelope.error(Response.Status.fromStatusCode(422), "unavailable", e.getMessage());
    } catch (QueryException e) {
      return ApiEnvelope.error(Response.Status.BAD_REQUEST, "bad_data", e.getMessage());
    }
  }

  private static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private Querier querier() {
    String mode = settings.storage().mode();
    FileStorage fs = storage.fileStorage();
    if (fs == null || !mode.equals("server")) {
      throw new Unavailable("unavailable with Quarry in " + mode + " mode: reads need"
          + " quarry.storage.mode=server");
    }
    return fs.querier();
  }

  private QueryEngine engine() {
    Querier q = querier();
    return new QueryEngine(q::select,
        Durations.parse(settings.query().lookbackDelta()).toMillis());
  }

  private static MultivaluedMap<String, String> merge(UriInfo uri, MultivaluedMap<String, String> form) {
    MultivaluedMap<String, String> all = new MultivaluedHashMap<>();
    uri.getQueryParameters().forEach(all::addAll);
    if (form != null) {
      form.forEach(all::addAll);
    }
    return all;
  }

  private static String required(MultivaluedMap<String, String> p, String name) {
    String v = p.getFirst(name);
    if (v == null) {
      throw new QueryException("invalid parameter \"" + name + "\": parameter missing");
    }
    return v;
  }

  private static List<List<Matcher>> matchSets(MultivaluedMap<String, String> p, boolean required) {
    List<String> ms = p.get("match[]");
    if (ms == null || ms.isEmpty()) {
      if (required) {
        throw new QueryException("no match[] parameter provided");
      }
      return List.of();
    }
    List<List<Matcher>> out = new ArrayList<>();
    for (String m : ms) {
      Selector s = SelectorParser.parse(m);
      if (s.rangeMillis() > 0) {
        throw new QueryException("invalid parameter \"match[]\": 1:1: parse error: expected"
            + " type instant vector in selector, got range vector");
      }
      out.add(s.matchers());
    }
    return out;
  }

  /** A time parameter: Unix seconds (with fraction) or RFC 3339; {@code dflt} when absent. */
  static long time(MultivaluedMap<String, String> p, String name, Long dflt) {
    String v = p.getFirst(name);
    if (v == null || v.isEmpty()) {
      if (dflt == null) {
        throw new QueryException("invalid parameter \"" + name + "\": cannot parse \"\" to a"
            + " valid timestamp");
      }
      return dflt;
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new QueryException("invalid parameter \"" + name + "\": cannot parse \"" + v
            + "\" to a valid timestamp");
      }
    }
  }

  /** A step: seconds (with fraction) or a Prometheus duration. */
  static long step(String v) {
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return Durations.parse(v).toMillis();
      } catch (RuntimeException e2) {
        throw new QueryException("invalid parameter \"step\": cannot parse \"" + v
            + "\" to a valid duration");
      }
    }
  }

  private static Map<String, Object> matrixSeries(SeriesData d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", d.labels().toMap());
    List<Object> values = new ArrayList<>(d.samples().size());
    for (Sample s : d.samples()) {
      values.add(List.of(seconds(s.timestampMillis()), formatValue(s.value())));
    }
    m.put("values", values);
    return m;
  }

  /** Milliseconds as seconds, as Prometheus writes them: {@code 1700000000.123}, {@code 17}. */
  static BigDecimal seconds(long millis) {
    BigDecimal d = BigDecimal.valueOf(millis, 3).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /**
   * A value as Prometheus' API writes it: Go's shortest {@code 'f'} form, or {@code 'e'} form
   * ({@code 4.1e-07}) below 1e-6 and from 1e21 on; NaN and ±Inf spelled out.
   */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    double abs = Math.abs(v);
    if (abs >= 1e-6 && abs < 1e21) {
      return d.toPlainString();
    }
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    StringBuilder sb = new StringBuilder();
    if (v < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10) {
      sb.append('0');
    }
    return sb.append(e).toString();
  }
}
