package dev.quarry.web;

import dev.quarry.config.QuarrySettings;
import dev.quarry.config.StorageMode;
import dev.quarry.storage.Appendable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/write}: the remote write 1.0 receiver, off unless {@code
 * quarry.web.enable-remote-write-receiver} is true, and then only in server mode (checked at
 * start-up: the process stops with the reason otherwise). Answers as Prometheus does: 204 when the
 * samples are committed, errors as plain text ({@link RemoteWriteReceiver}). The body is decoded
 * and appended on a worker thread, never on the event loop.
 */
@Path("/api/v1/write")
@ApplicationScoped
public class RemoteWriteResource {
  static final String DISABLED =
      "remote write receiver needs to be enabled with quarry.web.enable-remote-write-receiver=true"
          + " (QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER=true)";

  private final boolean enabled;
  private final StorageMode mode;
  private final RemoteWriteReceiver receiver;

  private final MeterRegistry registry;
  private final Counter written;
  private final Counter refused;

  RemoteWriteResource(QuarrySettings settings, Appendable storage, MeterRegistry registry) {
    this.enabled = settings.web().enableRemoteWriteReceiver();
    this.mode = settings.storage().mode();
    this.receiver = new RemoteWriteReceiver(storage);
    this.registry = registry;
    this.written =
        Counter.builder("quarry.remote.write.receiver.samples.written")
            .description("Samples received by remote write and committed to the storage.")
            .register(registry);
    this.refused =
        Counter.builder("quarry.remote.write.receiver.samples.refused")
            .description(
                "Samples received by remote write and skipped: invalid labels, out of order,"
                    + " duplicate, out of bounds, native histograms.")
            .register(registry);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Blocking
  public Response write(byte[] body) {
    if (!enabled || mode != StorageMode.SERVER) {
      return text(404, DISABLED);
    }
    RemoteWriteReceiver.Outcome out = receiver.receive(body == null ? new byte[0] : body);
    written.increment(out.samplesWritten());
    refused.increment(out.samplesRefused());
    registry
        .counter("quarry.remote.write.receiver.requests", "code", String.valueOf(out.status()))
        .increment();
    if (out.status() == 204) {
      return Response.noContent().build();
    }
    return text(out.status(), out.message());
  }

  /** A plain-text answer, as Go's {@code http.Error} writes it. */
  private static Response text(int status, String message) {
    return Response.status(status).type("text/plain; charset=utf-8").entity(message + "\n").build();
  }
}
