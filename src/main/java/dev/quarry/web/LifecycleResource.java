package dev.quarry.web;

import dev.quarry.config.ConfigException;
import dev.quarry.config.ConfigService;
import dev.quarry.health.Readiness;
import io.quarkus.runtime.Quarkus;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * {@code /-/healthy}, {@code /-/ready}, {@code /-/reload} and {@code /-/quit}, for probes and tools
 * written for Prometheus: healthy whenever the server answers; ready once the config is loaded, the
 * first discovery has reported and the storage can append; reload re-reads the config file; quit
 * stops Quarry cleanly. Reload and quit answer only with {@code quarry.web.enable-lifecycle} (403
 * otherwise, as Prometheus without {@code --web.enable-lifecycle}) and refuse cross-site requests,
 * so a web page cannot make a visitor's browser reload or stop Quarry.
 */
@Path("/-")
@Produces(MediaType.TEXT_PLAIN)
public class LifecycleResource {
  private static final Logger LOG = Logger.getLogger(LifecycleResource.class);
  static final String DISABLED = "Lifecycle API is not enabled.";
  static final String POST_OR_PUT = "Only POST or PUT requests allowed";

  private final ConfigService configService;
  private final Readiness readiness;
  private final WebSettings web;

  LifecycleResource(ConfigService configService, Readiness readiness, WebSettings web) {
    this.configService = configService;
    this.readiness = readiness;
    this.web = web;
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
      String storage = readiness.storageProblem();
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .entity("Service Unavailable\n" + (storage == null ? "" : "storage: " + storage + "\n"))
          .build();
    }
    return Response.ok("Quarry is Ready.\n").build();
  }

  @HEAD
  @Path("/ready")
  public Response readyHead() {
    return Response.status(
            readiness.ready() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
        .build();
  }

  /** Re-reads the config file; 500 with the reason (file, line, key) when it is invalid. */
  @POST
  @Path("/reload")
  @Blocking
  public Response reload(@Context RoutingContext ctx) {
    Response refused = refuse(ctx);
    if (refused != null) {
      return refused;
    }
    try {
      configService.load();
      return Response.ok().build();
    } catch (ConfigException e) {
      return Response.serverError()
          .entity("failed to reload config: " + e.getMessage() + "\n")
          .build();
    }
  }

  @PUT
  @Path("/reload")
  @Blocking
  public Response reloadPut(@Context RoutingContext ctx) {
    return reload(ctx);
  }

  @GET
  @Path("/reload")
  public Response reloadGet() {
    return Response.status(Response.Status.METHOD_NOT_ALLOWED).entity(POST_OR_PUT).build();
  }

  /** Answers, then stops Quarry as SIGTERM does (exit code 0). */
  @POST
  @Path("/quit")
  public Response quit(@Context RoutingContext ctx) {
    Response refused = refuse(ctx);
    if (refused != null) {
      return refused;
    }
    LOG.info("shutdown requested through /-/quit");
    ctx.addEndHandler(ar -> Quarkus.asyncExit(0));
    return Response.ok("Requesting termination... Goodbye!").build();
  }

  @PUT
  @Path("/quit")
  public Response quitPut(@Context RoutingContext ctx) {
    return quit(ctx);
  }

  @GET
  @Path("/quit")
  public Response quitGet() {
    return Response.status(Response.Status.METHOD_NOT_ALLOWED).entity(POST_OR_PUT).build();
  }

  /** The 403 answer when the lifecycle API is off or the request comes from another site. */
  private Response refuse(RoutingContext ctx) {
    if (!web.enableLifecycle()) {
      return Response.status(Response.Status.FORBIDDEN).entity(DISABLED).build();
    }
    var req = ctx.request();
    String why =
        SameOrigin.refusal(
            req.getHeader("Origin"),
            req.getHeader("Sec-Fetch-Site"),
            req.getHeader("Host"),
            req.isSSL());
    if (why != null) {
      LOG.warnf("%s %s: %s", req.method(), req.path(), why);
      return Response.status(Response.Status.FORBIDDEN).entity(why + "\n").build();
    }
    return null;
  }
}
