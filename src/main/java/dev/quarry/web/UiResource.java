package dev.quarry.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Paths Prometheus users type for the pages: {@code /targets} and {@code /service-discovery} lead
 * to the targets page, {@code /config} to the configuration page, {@code /graph} to the series
 * browser. The pages themselves are static resources (META-INF/resources).
 */
@Path("/")
public class UiResource {
  @GET
  @Path("/targets")
  public Response targets() {
    return Response.seeOther(URI.create("/")).build();
  }

  @GET
  @Path("/service-discovery")
  public Response serviceDiscovery() {
    return Response.seeOther(URI.create("/#service-discovery")).build();
  }

  @GET
  @Path("/config")
  public Response config() {
    return Response.seeOther(URI.create("/config.html")).build();
  }

  @GET
  @Path("/graph")
  public Response graph() {
    return Response.seeOther(URI.create("/graph.html")).build();
  }
}
