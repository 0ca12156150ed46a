package dev.quarry.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.model.Labels;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.Relabeler;
import dev.quarry.scrape.ScrapeManager;
import dev.quarry.scrape.ScrapePool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/targets/relabel_steps?scrapePool=<job>&labels=<JSON object>}, as Prometheus
 * 3.8 answers it: the pool's {@code relabel_configs} applied one after the other to the given
 * (discovered) labels, each step with its rule, the labels after it and whether the target is still
 * kept ({@code output} is {@code {}} once a rule dropped it). Stateless; safe on any thread.
 */
@Path("/api/v1/targets/relabel_steps")
@Produces(MediaType.APPLICATION_JSON)
public class RelabelStepsResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScrapeManager manager;

  RelabelStepsResource(ScrapeManager manager) {
    this.manager = manager;
  }

  @GET
  public Response steps(
      @QueryParam("scrapePool") String scrapePool, @QueryParam("labels") String labelsJson) {
    if (scrapePool == null || scrapePool.isEmpty()) {
      return badData("no scrapePool parameter provided");
    }
    if (labelsJson == null || labelsJson.isEmpty()) {
      return badData("no labels parameter provided");
    }
    Labels in;
    try {
      Map<String, String> m = JSON.readValue(labelsJson, new TypeReference<>() {});
      in = Labels.of(m == null ? Map.of() : m);
    } catch (JsonProcessingException | RuntimeException e) {
      return badData("error parsing labels: " + e.getMessage().lines().findFirst().orElse(""));
    }
    ScrapePool pool = manager.pools().get(scrapePool);
    if (pool == null) {
      return badData(
          "error retrieving scrape config: scrape pool \"" + scrapePool + "\" not found");
    }
    List<RelabelConfig> rules = pool.config().relabelConfigs();
    List<Labels> after = Relabeler.compile(rules).steps(in);
    List<Object> steps = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Labels out = after.get(i);
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("rule", rule(rules.get(i)));
      step.put("output", out == null ? Map.of() : out.toMap());
      step.put("keep", out != null);
      steps.add(step);
    }
    return Response.ok(ApiEnvelope.success(Map.of("steps", steps))).build();
  }

  /** A rule as Prometheus marshals its {@code relabel.Config}: empty fields left out. */
  static Map<String, Object> rule(RelabelConfig r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!r.sourceLabels().isEmpty()) {
      m.put("source_labels", r.sourceLabels());
    }
    putIfSet(m, "separator", r.separator());
    putIfSet(m, "regex", r.regex());
    if (r.modulus() != 0) {
      m.put("modulus", r.modulus());
    }
    putIfSet(m, "target_label", r.targetLabel());
    putIfSet(m, "replacement", r.replacement());
    m.put("action", r.action().yamlName());
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }

  private static Response badData(String message) {
    return ApiEnvelope.error(Response.Status.BAD_REQUEST, "bad_data", message);
  }
}
