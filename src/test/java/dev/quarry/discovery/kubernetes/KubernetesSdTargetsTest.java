package dev.quarry.discovery.kubernetes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Through Quarry's own config and API: {@code kubernetes_sd_configs} pointed at an API server
 * yields the targets {@code /api/v1/targets?state=any} lists with their discovered {@code
 * __meta_kubernetes_*} labels, follows a pod deleted through the watch, and counts events in {@code
 * /metrics}.
 */
@QuarkusTest
@QuarkusTestResource(value = KubernetesApiResource.class, restrictToAnnotatedClass = true)
class KubernetesSdTargetsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode targets() throws Exception {
    return JSON.readTree(given().get("/api/v1/targets?state=any").asString()).path("data");
  }

  static List<JsonNode> of(JsonNode data, String kind, String job) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : data.path(kind)) {
      if (job.equals(t.path("discoveredLabels").path("job").asText())) {
        out.add(t);
      }
    }
    return out;
  }

  static JsonNode await(Predicate<JsonNode> p) throws Exception {
    JsonNode last = null;
    for (int i = 0; i < 200; i++) {
      last = targets();
      if (p.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("targets never matched: " + last);
  }

  @Test
  void kubernetesTargetsAppearWithTheirDiscoveredLabelsAndFollowTheWatch() throws Exception {
    JsonNode data =
        await(
            d ->
                of(d, "activeTargets", "k8s-endpoints").size() == 4
                    && of(d, "activeTargets", "k8s-pods").size() == 3);
    // web-1's four targets are kept (annotated), the two port-less ones (containers c2 and init)
    // collapsing into one, as in Prometheus; db-1's one is dropped
    List<JsonNode> pods = of(data, "activeTargets", "k8s-pods");
    for (JsonNode t : pods) {
      assertEquals("web-1", t.path("discoveredLabels").path("__meta_kubernetes_pod_name").asText());
      assertEquals("k8s-pods", t.path("labels").path("job").asText());
    }
    assertTrue(
        pods.stream()
            .anyMatch(
                t ->
                    t.path("discoveredLabels").path("__address__").asText().equals("10.0.0.1:8080")
                        && t.path("labels").path("instance").asText().equals("10.0.0.1:8080")
                        && t.path("discoveredLabels")
                            .path("__meta_kubernetes_pod_container_port_name")
                            .asText()
                            .equals("http")));
    assertEquals(1, of(data, "droppedTargets", "k8s-pods").size());
    JsonNode dropped = of(data, "droppedTargets", "k8s-pods").get(0).path("discoveredLabels");
    assertEquals("db-1", dropped.path("__meta_kubernetes_pod_name").asText());
    assertTrue(
        of(data, "activeTargets", "k8s-endpoints").stream()
            .anyMatch(
                t ->
                    "true"
                            .equals(
                                t.path("discoveredLabels")
                                    .path("__meta_kubernetes_endpoint_ready")
                                    .asText())
                        && "web"
                            .equals(
                                t.path("discoveredLabels")
                                    .path("__meta_kubernetes_service_name")
                                    .asText())));

    KubernetesApiResource.api.client().pods().inNamespace(Cluster.NS).withName("db-1").delete();
    await(d -> of(d, "droppedTargets", "k8s-pods").isEmpty());

    given().get("/-/ready").then().statusCode(200);
    String metrics = given().get("/metrics").asString();
    assertTrue(
        metrics.contains("quarry_sd_kubernetes_events_total{event=\"delete\",role=\"pod\"}"),
        "events counted");
    assertTrue(metrics.contains("quarry_sd_kubernetes_failures_total"), "failures counter");
  }
}
