package dev.quarry.web;

import dev.quarry.config.ConfigException;
import dev.quarry.config.WebConfig;
import dev.quarry.config.WebConfigLoader;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Quarry's own HTTP server secured by Prometheus' web configuration file ({@code
 * quarry.web.config-file}): TLS with the file's certificate, client-certificate policy, versions
 * and suites (set on the server's options at start-up), basic authentication and extra headers (a
 * route filter in front of every route). An invalid file at start-up stops Quarry with its {@code
 * file:line: key: reason}.
 *
 * <p>The file and the files it names are checked every {@code quarry.web.config-check-interval}:
 * rotated certificates, keys and client CAs apply to new connections, and users and headers to new
 * requests, without a restart. Turning TLS on or off, or changing the client-auth policy, versions
 * or suites, needs a restart (logged). An invalid new file is logged and the running settings stay.
 * The check runs on its own daemon thread.
 */
@ApplicationScoped
public class WebServerSecurity implements HttpServerOptionsCustomizer {
  private static final Logger LOG = Logger.getLogger(WebServerSecurity.class);

  private final Vertx vertx;
  private final WebSettings settings;
  private WebConfig config; // guarded by this
  private TlsMaterial tls; // guarded by this; null without TLS
  private BasicAuthFilter filter; // guarded by this
  private List<Object> stamp; // guarded by this: what the files looked like when read
  private ScheduledExecutorService checker; // guarded by this

  WebServerSecurity(Vertx vertx, WebSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  private synchronized void init() {
    if (filter != null) {
      return;
    }
    Path file = settings.configFile().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    config = file == null ? WebConfig.NONE : WebConfigLoader.load(file);
    tls = config.tls() == null ? null : new TlsMaterial(vertx, config.tls());
    filter =
        new BasicAuthFilter(
            vertx.createSharedWorkerExecutor("quarry-bcrypt", 1),
            new BasicAuthFilter.Settings(config.users(), config.headers()));
    if (file != null) {
      stamp = stamp(file, config);
      long every = settings.configCheckInterval().toMillis();
      checker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "quarry-web-config");
                t.setDaemon(true);
                return t;
              });
      checker.scheduleWithFixedDelay(() -> check(file), every, every, TimeUnit.MILLISECONDS);
      LOG.infof(
          "web config %s: %s, %d basic-auth user(s), %d header(s)",
          file,
          config.tls() == null ? "plain HTTP" : "TLS (" + config.tls().clientAuth() + ")",
          config.users().size(),
          config.headers().size());
    }
  }

  /** Basic auth and headers in front of every route (the priority puts it before the others). */
  void registerFilter(@Observes Filters filters) {
    init();
    BasicAuthFilter f;
    synchronized (this) {
      f = filter;
    }
    filters.register(f, 20_000);
  }

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    init();
    WebConfig.TlsServer t;
    TlsMaterial material;
    synchronized (this) {
      t = config.tls();
      material = tls;
    }
    if (t == null) {
      return;
    }
    options.setSsl(true);
    options.setKeyCertOptions(KeyCertOptions.wrap(material.keyManager()));
    if (t.clientAuth() != WebConfig.ClientAuth.NoClientCert) {
      options.setTrustOptions(TrustOptions.wrap(material.trustManager()));
      options.setClientAuth(t.clientAuth().required ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    }
    options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(t.protocols()));
    for (String suite : t.cipherSuites()) {
      options.addEnabledCipherSuite(suite);
    }
    options.setUseAlpn(config.http2());
  }

  /** Re-reads the web config when it or a file it names changed. */
  private void check(Path file) {
    try {
      synchronized (this) {
        List<Object> now = stamp(file, config);
        if (now.equals(stamp)) {
          return;
        }
        stamp = now;
        WebConfig next = WebConfigLoader.load(file);
        if (!Objects.equals(restartOnly(next), restartOnly(config))) {
          LOG.warnf(
              "web config %s: TLS on/off, client_auth_type, versions, cipher suites and"
                  + " http2 take effect after a restart",
              file);
        }
        if (tls != null && next.tls() != null) {
          tls.reload(next.tls());
        }
        filter.update(new BasicAuthFilter.Settings(next.users(), next.headers()));
        config = next;
        stamp = stamp(file, next);
        LOG.infof(
            "web config %s reloaded: %d basic-auth user(s), %d header(s)",
            file, next.users().size(), next.headers().size());
      }
    } catch (ConfigException e) {
      LOG.errorf("web config not reloaded, the running one stays: %s", e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "web config %s not reloaded", file);
    }
  }

  private static List<Object> restartOnly(WebConfig c) {
    WebConfig.TlsServer t = c.tls();
    return t == null
        ? List.of()
        : List.of(t.clientAuth(), t.protocols(), t.cipherSuites(), c.http2());
  }

  /** The content of the web config and of its TLS files (small files), as hashes. */
  private static List<Object> stamp(Path file, WebConfig c) {
    List<Path> paths = new ArrayList<>(List.of(file));
    if (c.tls() != null) {
      paths.add(c.tls().certFile());
      paths.add(c.tls().keyFile());
      if (c.tls().clientCaFile() != null) {
        paths.add(c.tls().clientCaFile());
      }
    }
    List<Object> out = new ArrayList<>();
    for (Path p : paths) {
      try {
        out.add(java.util.Arrays.hashCode(Files.readAllBytes(p)));
      } catch (IOException e) {
        out.add(e.getClass().getSimpleName());
      }
    }
    return out;
  }

  void onStop(@Observes ShutdownEvent ev) {
    synchronized (this) {
      if (checker != null) {
        checker.shutdownNow();
      }
    }
  }
}
