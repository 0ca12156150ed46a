package dev.quarry.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * SmallRye readiness: the conditions of {@link dev.quarry.health.Readiness}, each reported, and why
 * the storage cannot append when it cannot ({@code storage error}).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements AsyncHealthCheck {
  private final dev.quarry.health.Readiness readiness;

  ReadinessCheck(dev.quarry.health.Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return Uni.createFrom()
        .item(
            () -> {
              HealthCheckResponseBuilder b = HealthCheckResponse.named("quarry");
              boolean up = true;
              for (var e : readiness.conditions().entrySet()) {
                b.withData(e.getKey(), e.getValue());
                up &= e.getValue();
              }
              String storage = readiness.storageProblem();
              if (storage != null) {
                b.withData("storage error", storage);
              }
              return b.status(up).build();
            });
  }
}
