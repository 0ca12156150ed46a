package dev.quarry.web;

import dev.quarry.config.QuarrySettings;
import dev.quarry.config.StorageMode;
import dev.quarry.storage.Appendable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/write}: the remote write receiver, off unless {@code
 * quarry.web.enable-remote-write-receiver} is true, and then only in server mode (checked at
 * start-up: the process stops with the reason otherwise). {@code Content-Type} chooses the message
 * as Prometheus 3 does: {@code proto=io.prometheus.write.v2.Request} is remote write 2.0 ({@link
 * RemoteWrite2Receiver}, answers carry the {@code X-Prometheus-Remote-Write-*-Written} headers); no
 * {@code proto} parameter, {@code proto=prometheus.WriteRequest} or no header is 1.0 ({@link
 * RemoteWriteReceiver}); any other type, or an encoding other than snappy, is 415. Answers as
 * Prometheus does: 204 when the samples are committed, errors as plain text. The body is decoded
 * and appended on a worker thread, never on the event loop.
 */
@Path("/api/v1/write")
@ApplicationScoped
public class RemoteWriteResource {
  private static final Logger LOG = Logger.getLogger(RemoteWriteResource.class);
  static final String DISABLED =
      "remote write receiver needs to be enabled with quarry.web.enable-remote-write-receiver=true"
          + " (QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER=true)";

  private final boolean enabled;
  private final StorageMode mode;
  private final RemoteWriteReceiver receiver;
  private final RemoteWrite2Receiver receiver2;

  private final MeterRegistry registry;
  private final Counter written;
  private final Counter refused;

  RemoteWriteResource(QuarrySettings settings, Appendable storage, MeterRegistry registry) {
    this.enabled = settings.web().enableRemoteWriteReceiver();
    this.mode = settings.storage().mode();
    this.receiver = new RemoteWriteReceiver(storage);
    this.receiver2 = new RemoteWrite2Receiver(storage);
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
  public Response write(
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Content-Encoding") String encoding,
      byte[] body) {
    if (!enabled || mode != StorageMode.SERVER) {
      return text(404, DISABLED);
    }
    boolean v2;
    try {
      v2 = RemoteWriteContentType.isV2(contentType);
      RemoteWriteContentType.checkEncoding(encoding);
    } catch (RemoteWriteContentType.UnsupportedException e) {
      count(415);
      return text(415, e.getMessage());
    }
    byte[] in = body == null ? new byte[0] : body;
    if (!v2) {
      RemoteWriteReceiver.Outcome out = receiver.receive(in);
      written.increment(out.samplesWritten());
      refused.increment(out.samplesRefused());
      count(out.status());
      return out.status() == 204 ? Response.noContent().build() : text(out.status(), out.message());
    }
    List<WriteRequestV2Decoder.Series> req;
    try {
      req = WriteRequestV2Decoder.decodeProto(WriteRequestDecoder.decompress(in));
    } catch (WriteRequestDecoder.DecodeException e) {
      // As Prometheus: a body that does not decode is answered without the written counts.
      LOG.errorf(
          "remote write receiver: error decoding v2 remote write request: %s", e.getMessage());
      count(400);
      return text(400, e.getMessage());
    }
    RemoteWrite2Receiver.Outcome out = receiver2.append(req);
    written.increment(out.samplesWritten());
    refused.increment(out.refused());
    count(out.status());
    Response.ResponseBuilder r =
        out.status() == 204
            ? Response.noContent()
            : Response.status(out.status())
                .type("text/plain; charset=utf-8")
                .entity(out.message() + "\n");
    return r.header("X-Prometheus-Remote-Write-Samples-Written", out.samplesWritten())
        .header("X-Prometheus-Remote-Write-Histograms-Written", out.histogramsWritten())
        .header("X-Prometheus-Remote-Write-Exemplars-Written", out.exemplarsWritten())
        .build();
  }

  private void count(int status) {
    registry
        .counter("quarry.remote.write.receiver.requests", "code", String.valueOf(status))
        .increment();
  }

  /** A plain-text answer, as Go's {@code http.Error} writes it. */
  private static Response text(int status, String message) {
    return Response.status(status).type("text/plain; charset=utf-8").entity(message + "\n").build();
  }
}
