package dev.quarry.web;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} in Prometheus' shape. Quarry evaluates no rules
 * ({@code rule_files} is read and ignored), so both are always empty; {@code rules} still checks
 * its {@code type} parameter as Prometheus does. GET and POST; stateless.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {
  @GET
  @Path("/rules")
  public Response rules(@Context UriInfo uri) {
    return rules(ApiParams.of(uri, null));
  }

  @POST
  @Path("/rules")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response rulesPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
    return rules(ApiParams.of(uri, form));
  }

  @GET
  @Path("/alerts")
  public Map<String, Object> alerts() {
    return ApiEnvelope.success(Map.of("alerts", List.of()));
  }

  @POST
  @Path("/alerts")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> alertsPost() {
    return alerts();
  }

  private static Response rules(MultivaluedMap<String, String> p) {
    String type = ApiParams.get(p, "type").toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      return ApiEnvelope.error(
          Response.Status.BAD_REQUEST,
          "bad_data",
          "invalid parameter \"type\": not supported value \"" + type + "\"");
    }
    return Response.ok(ApiEnvelope.success(Map.of("groups", List.of()))).build();
  }
}
