package dev.quarry.web;

import dev.quarry.config.ConfigRenderer;
import dev.quarry.config.ConfigService;
import dev.quarry.config.PrometheusConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/status/config}: the loaded config as YAML, secrets shown as {@code <secret>}. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
  private final ConfigService configService;

  StatusResource(ConfigService configService) {
    this.configService = configService;
  }

  @GET
  @Path("/config")
  public Response config() {
    PrometheusConfig cfg = configService.current();
    if (cfg == null) {
      return ApiEnvelope.error(
          Response.Status.SERVICE_UNAVAILABLE, "unavailable", "no config loaded yet");
    }
    return Response.ok(ApiEnvelope.success(Map.of("yaml", ConfigRenderer.toYaml(cfg)))).build();
  }

  /** The outcome of the last config load: success, its time and the error if it failed. */
  @GET
  @Path("/reload")
  public Map<String, Object> reload() {
    ConfigService.ReloadStatus s = configService.lastReload();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lastReloadSuccessful", s.successful());
    m.put("lastReloadTime", s.time() == null ? null : s.time().toString());
    m.put("lastError", s.error());
    return ApiEnvelope.success(m);
  }
}
