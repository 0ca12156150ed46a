package dev.quarry.web;

import dev.quarry.config.ConfigException;
import dev.quarry.config.ConfigService;
import dev.quarry.health.Readiness;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /-/healthy}, {@code /-/ready} and {@code /-/reload}, for probes and tools written for
 * Prometheus: healthy whenever the server answers; ready once the config is loaded, the first
 * discovery has reported and storage is writable; reload re-reads the config file.
 */
@Path("/-")
@Produces(MediaType.TEXT_PLAIN)
public class LifecycleResource {
  private final ConfigService configService;
  private final Readiness readiness;

  LifecycleResource(ConfigService configService, Readiness readiness) {
    this.configService = configService;
    this.readiness = readiness;
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
    if (!readiness.ready()) {
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .entity("Service Unavailable\n")
          .build();
    }
    return Response.ok("Quarry is Ready.\n").build();
  }

  @HEAD
  @Path("/ready")
  public Response readyHead() {
    return Response.status(readiness.ready() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
        .build();
  }

  /** Re-reads the config file; 500 with the reason (file, line, key) when it is invalid. */
  @POST
  @Path("/reload")
  @Blocking
  public Response reload() {
    try {
      configService.load();
      return Response.ok().build();
    } catch (ConfigException e) {
      return Response.serverError().entity("failed to reload config: " + e.getMessage() + "\n").build();
    }
  }

  @PUT
  @Path("/reload")
  @Blocking
  public Response reloadPut() {
    return reload();
  }
}
