package dev.quarry.web;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prometheus' JSON envelope: {@code {"status":"success","data":…}} or an error with its type. */
final class ApiEnvelope {
  private ApiEnvelope() {}

  static Map<String, Object> success(Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "success");
    m.put("data", data);
    return m;
  }

  static Response error(Response.Status status, String errorType, String message) {
    return error(status.getStatusCode(), errorType, message);
  }

  /** For statuses JAX-RS has no constant for (422, 499). */
  static Response error(int status, String errorType, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("errorType", errorType);
    m.put("error", message);
    return Response.status(status).entity(m).type("application/json").build();
  }
}
