package dev.quarry.web;

import dev.quarry.config.ConfigService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /-/healthy} and {@code /-/ready}, for probes written for Prometheus: healthy whenever
 * the server answers, ready once a config is loaded.
 */
@Path("/-")
@Produces(MediaType.TEXT_PLAIN)
public class LifecycleResource {
  private final ConfigService configService;

  LifecycleResource(ConfigService configService) {
    this.configService = configService;
  }

  @GET
  @Path("/healthy")
  public String healthy() {
    return "Quarry is Healthy.\n";
  }

  @HEAD
  @Path("/healthy")
  public Response healthyHead() {
    return Response.ok().build();
  }

  @GET
  @Path("/ready")
  public Response ready() {
    if (configService.current() == null) {
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .entity("Service Unavailable\n")
          .build();
    }
    return Response.ok("Quarry is Ready.\n").build();
  }

  @HEAD
  @Path("/ready")
  public Response readyHead() {
    return Response.status(
            configService.current() == null ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.OK)
        .build();
  }
}
