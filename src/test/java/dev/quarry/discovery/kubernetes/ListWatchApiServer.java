package dev.quarry.discovery.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal Kubernetes API server for list and watch, in test code: serves {@code /version}, the
 * list of any resource (all namespaces or one) as JSON, and watches as a plain HTTP stream of JSON
 * events ({@code {"type":"ADDED","object":...}}), the way client-go watches, or over WebSocket (one
 * event per text message), the way fabric8 watches, so both Prometheus' client-go and Quarry's
 * fabric8 client can be pointed at it. Selectors are ignored. Objects are set through {@link #put}
 * and {@link #delete}; every change gets the next resource version and goes to the open watches of
 * its resource.
 *
 * <p>Threading: state is guarded by {@code this}; responses are written on the server's Vert.x
 * event loop.
 */
final class ListWatchApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An open watch: what it watches and how an event line reaches its client. */
  private record Watch(
      String resource, String namespace, java.util.function.Consumer<String> out) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  // resource (plural) -> "ns/name" or "name" -> object
  private final Map<String, Map<String, ObjectNode>> objects = new TreeMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private long version = 1;

  ListWatchApiServer() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).webSocketHandler(this::socket);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Creates or replaces an object (its resource is derived from its kind). */
  synchronized void put(HasMetadata o) {
    ObjectNode node = (ObjectNode) parse(Serialization.asJson(o));
    String resource = resource(o.getKind());
    ObjectNode meta = (ObjectNode) node.with("metadata");
    String key = key(meta);
    Map<String, ObjectNode> m = objects.computeIfAbsent(resource, r -> new TreeMap<>());
    ObjectNode old = m.get(key);
    meta.put(
        "uid",
        old != null
            ? old.path("metadata").path("uid").asText()
            : UUID.nameUUIDFromBytes(key.getBytes()).toString());
    meta.put("resourceVersion", Long.toString(++version));
    m.put(key, node);
    emit(resource, old == null ? "ADDED" : "MODIFIED", node);
  }

  synchronized void delete(HasMetadata o) {
    String resource = resource(o.getKind());
    ObjectNode meta = JSON.valueToTree(o.getMetadata());
    ObjectNode old = objects.getOrDefault(resource, Map.of()).remove(key(meta));
    if (old != null) {
      ((ObjectNode) old.get("metadata")).put("resourceVersion", Long.toString(++version));
      emit(resource, "DELETED", old);
    }
  }

  private static Object parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(ObjectNode meta) {
    String ns = meta.path("namespace").asText("");
    String name = meta.path("name").asText();
    return ns.isEmpty() ? name : ns + "/" + name;
  }

  private static String resource(String kind) {
    return switch (kind) {
      case "Endpoints" -> "endpoints";
      case "Ingress" -> "ingresses";
      default -> kind.toLowerCase() + "s";
    };
  }

  private void emit(String resource, String type, ObjectNode obj) {
    String line = "{\"type\":\"" + type + "\",\"object\":" + obj + "}\n";
    String ns = obj.path("metadata").path("namespace").asText("");
    for (Watch w : watches) {
      if (w.resource.equals(resource) && (w.namespace.isEmpty() || w.namespace.equals(ns))) {
        vertx.runOnContext(v -> w.out.accept(line));
      }
    }
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    HttpServerResponse resp = req.response().putHeader("Content-Type", "application/json");
    if (path.equals("/version")) {
      resp.end("{\"major\":\"1\",\"minor\":\"26\",\"gitVersion\":\"v1.26.1\"}");
      return;
    }
    String[] target = target(path);
    if (target == null) {
      resp.setStatusCode(404).end("{}");
      return;
    }
    String ns = target[0];
    String resource = target[1];
    if ("true".equals(req.getParam("watch"))) {
      long from = parseLong(req.getParam("resourceVersion"));
      resp.setChunked(true).setStatusCode(200);
      resp.writeHead();
      Watch w =
          new Watch(
              resource,
              ns,
              line -> {
                if (!resp.ended() && !resp.closed()) {
                  resp.write(line);
                }
              });
      resp.closeHandler(v -> watches.remove(w));
      start(w, from);
      return;
    }
    list(resp, resource, ns);
  }

  /** fabric8 watches over WebSocket: the same events, one text message each. */
  private void socket(io.vertx.core.http.ServerWebSocket ws) {
    String[] target = target(ws.path());
    if (target == null) {
      ws.reject(404);
      return;
    }
    long from = 0;
    for (String kv : (ws.query() == null ? "" : ws.query()).split("&")) {
      if (kv.startsWith("resourceVersion=")) {
        from = parseLong(kv.substring("resourceVersion=".length()));
      }
    }
    Watch w =
        new Watch(
            target[1],
            target[0],
            line -> {
              if (!ws.isClosed()) {
                ws.writeTextMessage(line);
              }
            });
    ws.closeHandler(v -> watches.remove(w));
    start(w, from);
  }

  private synchronized void start(Watch w, long from) {
    watches.add(w);
    for (ObjectNode o : objects.getOrDefault(w.resource, Map.of()).values()) {
      if (parseLong(o.path("metadata").path("resourceVersion").asText()) > from
          && (w.namespace.isEmpty()
              || w.namespace.equals(o.path("metadata").path("namespace").asText()))) {
        w.out.accept("{\"type\":\"ADDED\",\"object\":" + o + "}\n");
      }
    }
  }

  /** {namespace ("" for all), resource} of a list or watch path, or null. */
  private static String[] target(String path) {
    String rest;
    if (path.startsWith("/api/v1/")) {
      rest = path.substring("/api/v1/".length());
    } else if (path.startsWith("/apis/")) {
      String[] p = path.split("/", 5); // "", apis, group, version, rest
      rest = p.length == 5 ? p[4] : "";
    } else {
      return null;
    }
    String[] seg = rest.split("/");
    if (seg.length == 3 && seg[0].equals("namespaces")) {
      return new String[] {seg[1], seg[2]};
    }
    return seg.length == 1 ? new String[] {"", seg[0]} : null;
  }

  private void list(HttpServerResponse resp, String resource, String ns) {
    ObjectNode list = JSON.createObjectNode();
    synchronized (this) {
      list.put("kind", "List").put("apiVersion", "v1");
      list.putObject("metadata").put("resourceVersion", Long.toString(version));
      ArrayNode items = list.putArray("items");
      for (ObjectNode o : objects.getOrDefault(resource, Map.of()).values()) {
        if (ns.isEmpty() || ns.equals(o.path("metadata").path("namespace").asText())) {
          items.add(o);
        }
      }
    }
    resp.end(list.toString());
  }

  private static long parseLong(String s) {
    try {
      return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
