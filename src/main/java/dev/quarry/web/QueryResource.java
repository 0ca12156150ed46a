package dev.quarry.web;

import dev.quarry.config.Durations;
import dev.quarry.config.QuarrySettings;
import dev.quarry.model.Labels;
import dev.quarry.promql.Expr;
import dev.quarry.promql.ParseException;
import dev.quarry.promql.Prettier;
import dev.quarry.promql.PromQL;
import dev.quarry.promql.ValueType;
import dev.quarry.promql.engine.Engine;
import dev.quarry.promql.engine.EvalException;
import dev.quarry.query.QueryException;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.Queryable;
import dev.quarry.storage.Series;
import dev.quarry.wiring.StorageWiring;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Prometheus' read API over the store's {@link Queryable}: {@code /api/v1/query} and {@code
 * /api/v1/query_range} evaluate PromQL with the {@link Engine}, {@code /api/v1/series}, {@code
 * /api/v1/labels} and {@code /api/v1/label/<name>/values} read series, {@code /api/v1/format_query}
 * pretty-prints PromQL. Parameters come from the URL or a form body, as in Prometheus; errors carry
 * Prometheus' types ({@code bad_data} 400, {@code execution} 422, {@code timeout} 503, {@code
 * canceled} 499; a query stops when its client disconnects). Reads touch the disk and evaluation is
 * CPU work, so they run on worker threads ({@code @Blocking}). In agent and memory modes there is
 * nothing to read: 422 {@code unavailable}, like Prometheus' agent.
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
  private volatile Engine engine;

  QueryResource(StorageWiring storage, QuarrySettings settings) {
    this.storage = storage;
    this.settings = settings;
  }

  @GET
  @Path("/query")
  public Response query(@Context UriInfo uri, @Context HttpServerRequest req) {
    return query(uri.getQueryParameters(), req);
  }

  @POST
  @Path("/query")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response queryPost(
      @Context UriInfo uri, @Context HttpServerRequest req, MultivaluedMap<String, String> form) {
    return query(ApiParams.of(uri, form), req);
  }

  @GET
  @Path("/query_range")
  public Response queryRange(@Context UriInfo uri, @Context HttpServerRequest req) {
    return queryRange(uri.getQueryParameters(), req);
  }

  @POST
  @Path("/query_range")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response queryRangePost(
      @Context UriInfo uri, @Context HttpServerRequest req, MultivaluedMap<String, String> form) {
    return queryRange(ApiParams.of(uri, form), req);
  }

  @GET
  @Path("/format_query")
  public Response formatQuery(@Context UriInfo uri) {
    return formatQuery(uri.getQueryParameters());
  }

  @POST
  @Path("/format_query")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response formatQueryPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return formatQuery(ApiParams.of(uri, form));
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
    return series(ApiParams.of(uri, form));
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
    return labels(ApiParams.of(uri, form));
  }

  @GET
  @Path("/label/{name}/values")
  public Response labelValues(@PathParam("name") String name, @Context UriInfo uri) {
    MultivaluedMap<String, String> p = uri.getQueryParameters();
    return run(
        () -> {
          Queryable q = querier();
          List<Matcher> matchers = new ArrayList<>();
          List<List<Matcher>> sets = matchSets(p, false);
          long start = time(p, "start", MIN_TIME);
          long end = time(p, "end", MAX_TIME);
          TreeSet<String> values = new TreeSet<>();
          if (sets.isEmpty()) {
            values.addAll(q.labelValues(name, start, end, matchers));
          } else {
            for (List<Matcher> set : sets) {
              values.addAll(q.labelValues(name, start, end, set));
            }
          }
          return new ArrayList<>(values);
        });
  }

  private Response query(MultivaluedMap<String, String> p, HttpServerRequest req) {
    return run(
        () -> {
          long t = time(p, "time", System.currentTimeMillis());
          Expr e = parseQuery(required(p, "query"));
          return QueryJson.result(engine().instant(e, t, ClientGone.flag(req)));
        });
  }

  private Response queryRange(MultivaluedMap<String, String> p, HttpServerRequest req) {
    return run(
        () -> {
          long start = time(p, "start", null);
          long end = time(p, "end", null);
          if (end < start) {
            throw new QueryException(
                "invalid parameter \"end\": end timestamp must not be before" + " start time");
          }
          long step = step(required(p, "step"));
          if (step <= 0) {
            throw new QueryException(
                "invalid parameter \"step\": zero or negative query resolution"
                    + " step widths are not accepted. Try a positive integer");
          }
          if ((end - start) / step > 11_000) {
            throw new QueryException(
                "exceeded maximum resolution of 11,000 points per timeseries."
                    + " Try decreasing the query resolution (?step=XX)");
          }
          Expr e = parseQuery(required(p, "query"));
          if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
            throw new QueryException(
                "invalid parameter \"query\": invalid expression type \""
                    + e.type().documented()
                    + "\" for range query, must be Scalar or instant Vector");
          }
          return QueryJson.result(engine().range(e, start, end, step, ClientGone.flag(req)));
        });
  }

  /** Prometheus' multi-line pretty form; unavailable where queries are, as in its agent. */
  private Response formatQuery(MultivaluedMap<String, String> p) {
    return run(
        () -> {
          querier();
          String q = p.getFirst("query");
          return Prettier.format(parseQuery(q == null ? "" : q));
        });
  }

  private static Expr parseQuery(String q) {
    try {
      return PromQL.parse(q);
    } catch (ParseException e) {
      throw new QueryException("invalid parameter \"query\": " + e.getMessage());
    }
  }

  private Response series(MultivaluedMap<String, String> p) {
    return run(
        () -> {
          List<List<Matcher>> sets = matchSets(p, true);
          long start = time(p, "start", MIN_TIME);
          long end = time(p, "end", MAX_TIME);
          Queryable q = querier();
          TreeSet<Labels> found = new TreeSet<>();
          for (List<Matcher> set : sets) {
            for (Series d : q.select(start, end, set)) {
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
    return run(
        () -> {
          List<List<Matcher>> sets = matchSets(p, false);
          long start = time(p, "start", MIN_TIME);
          long end = time(p, "end", MAX_TIME);
          Queryable q = querier();
          TreeSet<String> names = new TreeSet<>();
          if (sets.isEmpty()) {
            names.addAll(q.labelNames(start, end, List.of()));
          } else {
            for (List<Matcher> set : sets) {
              names.addAll(q.labelNames(start, end, set));
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
      return ApiEnvelope.error(422, "unavailable", e.getMessage());
    } catch (QueryException e) {
      return ApiEnvelope.error(Response.Status.BAD_REQUEST, "bad_data", e.getMessage());
    } catch (EvalException e) {
      return switch (e.kind()) {
        case TIMEOUT ->
            ApiEnvelope.error(Response.Status.SERVICE_UNAVAILABLE, "timeout", e.getMessage());
        case CANCELED -> ApiEnvelope.error(499, "canceled", e.getMessage());
        default -> ApiEnvelope.error(422, "execution", e.getMessage());
      };
    }
  }

  private static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private Queryable querier() {
    Queryable q = storage.queryable();
    if (q == null) {
      throw new Unavailable(
          "unavailable with Quarry in "
              + settings.storage().mode()
              + " mode:"
              + " reads need quarry.storage.mode=server");
    }
    return q;
  }

  private Engine engine() {
    Queryable q = querier();
    Engine e = engine;
    if (e == null) {
      synchronized (this) {
        if (engine == null) {
          QuarrySettings.Query s = settings.query();
          engine =
              new Engine(
                  q,
                  new Engine.Settings(
                      s.lookbackDelta(), s.maxSamples(), s.timeout(), s.maxConcurrency()));
        }
        e = engine;
      }
    }
    return e;
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
      try {
        out.add(PromQL.parseMetricSelector(m));
      } catch (ParseException e) {
        throw new QueryException("invalid parameter \"match[]\": " + e.getMessage());
      }
    }
    return out;
  }

  /** A time parameter: Unix seconds (with fraction) or RFC 3339; {@code dflt} when absent. */
  static long time(MultivaluedMap<String, String> p, String name, Long dflt) {
    String v = p.getFirst(name);
    if (v == null || v.isEmpty()) {
      if (dflt == null) {
        throw new QueryException(
            "invalid parameter \"" + name + "\": cannot parse \"\" to a" + " valid timestamp");
      }
      return dflt;
    }
    try {
      return new BigDecimal(v)
          .movePointRight(3)
          .setScale(0, java.math.RoundingMode.HALF_UP)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new QueryException(
            "invalid parameter \"" + name + "\": cannot parse \"" + v + "\" to a valid timestamp");
      }
    }
  }

  /** A step: seconds (with fraction) or a Prometheus duration. */
  static long step(String v) {
    try {
      return new BigDecimal(v)
          .movePointRight(3)
          .setScale(0, java.math.RoundingMode.HALF_UP)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        return Durations.parse(v).toMillis();
      } catch (RuntimeException e2) {
        throw new QueryException(
            "invalid parameter \"step\": cannot parse \"" + v + "\" to a valid duration");
      }
    }
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
