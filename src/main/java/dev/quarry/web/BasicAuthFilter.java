package dev.quarry.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Basic authentication and response headers of the web configuration file, as a Vert.x route filter
 * in front of every route. Requests carry {@code Authorization: Basic}; the password is checked
 * against the user's bcrypt hash, else 401 with {@code WWW-Authenticate: Basic}. The probes ({@code
 * /-/healthy}, {@code /-/ready}, {@code /q/health/*}) stay open, so Kubernetes can reach them
 * without credentials.
 *
 * <p>bcrypt is slow by design, so it never runs on the event loop: a check runs on one worker
 * thread (which also bounds the CPU an attacker can burn, as the toolkit's mutex does) and its
 * outcome is cached, keyed by a SHA-256 of user, hash and password (never the password itself). An
 * unknown user is checked against a fixed hash so timing does not reveal which users exist.
 *
 * <p>Thread-safe: the settings are one volatile value replaced on reload; the cache is concurrent.
 */
final class BasicAuthFilter implements Handler<RoutingContext> {
  /** Settings in force: users (name to bcrypt hash) and extra headers. */
  record Settings(Map<String, String> users, Map<String, String> headers) {}

  /** A valid hash of a random password nobody knows, for unknown users (made once, off-loop). */
  private static final String NO_USER =
      BCrypt.withDefaults().hashToString(10, java.util.UUID.randomUUID().toString().toCharArray());

  private static final int CACHE_SIZE = 256;

  private final WorkerExecutor bcrypt;
  private final Map<String, Boolean> cache = new ConcurrentHashMap<>();
  private volatile Settings settings;

  BasicAuthFilter(WorkerExecutor bcrypt, Settings settings) {
    this.bcrypt = bcrypt;
    this.settings = settings;
  }

  void update(Settings s) {
    settings = s;
    cache.clear();
  }

  static boolean isProbe(String path) {
    return path.equals("/-/healthy")
        || path.equals("/-/ready")
        || path.equals("/q/health")
        || path.startsWith("/q/health/");
  }

  @Override
  public void handle(RoutingContext ctx) {
    Settings s = settings;
    if (!s.headers().isEmpty()) {
      ctx.addHeadersEndHandler(v -> s.headers().forEach(ctx.response().headers()::set));
    }
    String path = ctx.normalizedPath();
    if (s.users().isEmpty() || isProbe(path)) {
      ctx.next();
      return;
    }
    String[] cred = credentials(ctx.request().getHeader("Authorization"));
    if (cred == null) {
      unauthorized(ctx);
      return;
    }
    String hash = s.users().get(cred[0]);
    boolean known = hash != null;
    String checked = known ? hash : NO_USER;
    String key = cacheKey(cred[0], checked, cred[1]);
    Boolean cached = cache.get(key);
    if (cached != null) {
      finish(ctx, cached && known);
      return;
    }
    ctx.request().pause();
    bcrypt
        .executeBlocking(
            () ->
                BCrypt.verifyer()
                    .verify(
                        cred[1].getBytes(StandardCharsets.UTF_8),
                        checked.getBytes(StandardCharsets.UTF_8))
                    .verified,
            true)
        .onComplete(
            ar -> {
              boolean ok = ar.succeeded() && ar.result();
              if (cache.size() >= CACHE_SIZE) {
                cache.clear();
              }
              cache.put(key, ok);
              ctx.request().resume();
              finish(ctx, ok && known);
            });
  }

  private static void finish(RoutingContext ctx, boolean ok) {
    if (ok) {
      ctx.next();
    } else {
      unauthorized(ctx);
    }
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", "Basic")
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("Unauthorized\n");
  }

  /** {@code [user, password]} of a Basic header, or null. */
  static String[] credentials(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0
        ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static String cacheKey(String user, String hash, String password) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {user, hash, password}) {
        d.update(part.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return Base64.getEncoder().encodeToString(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
