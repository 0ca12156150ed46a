package dev.quarry.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * SmallRye liveness: every Vert.x event loop runs a no-op task within 5 seconds. A loop that does
 * not is stuck (blocked by a bug), and the orchestrator should restart the process.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements AsyncHealthCheck {
  static final Duration BOUND = Duration.ofSeconds(5);

  private final Vertx vertx;

  EventLoopLiveness(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    CompletableFuture<Integer> all = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger();
    vertx.nettyEventLoopGroup().forEach(e -> remaining.incrementAndGet());
    int loops = remaining.get();
    vertx
        .nettyEventLoopGroup()
        .forEach(
            executor ->
                executor.execute(
                    () -> {
                      if (remaining.decrementAndGet() == 0) {
                        all.complete(loops);
                      }
                    }));
    return Uni.createFrom()
        .completionStage(all)
        .ifNoItem()
        .after(BOUND)
        .recoverWithItem(-1)
        .map(
            n ->
                n < 0
                    ? HealthCheckResponse.named("event-loops")
                        .down()
                        .withData("bound", BOUND.toString())
                        .build()
                    : HealthCheckResponse.named("event-loops").up().withData("loops", n).build());
  }
}
