package dev.quarry.discovery.kubernetes;

import dev.quarry.config.FieldSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The informers of every Kubernetes discovery provider, shared: one client per {@link
 * ClusterConnection} and one list+watch per (connection, resource, namespace, label selector, field
 * selector), however many jobs use it, each counted by the leases handed out and closed when the
 * last lease is released.
 *
 * <p>fabric8 informers relist on {@code 410 Gone} by themselves; any other list or watch failure
 * (unreachable server, 401, 403) is counted, logged once per distinct message, reported to the
 * lease holders and retried with fabric8's exponential back-off (1 s doubling to 32 s), while the
 * cache keeps its last content so jobs keep their last known targets. A watch connection that drops
 * is re-established by fabric8 without telling the informer's exception handler, so a check every
 * {@link #WATCH_CHECK_MILLIS} counts and logs a watch that is down.
 *
 * <p>Threading: {@link #acquire} and {@link Lease#release} are blocking (client creation reads
 * files, closing a client waits for its threads) and run on the registry's own daemon threads
 * ({@link #blocking}); the registry's maps are guarded by {@code this}. Informer callbacks run on
 * fabric8's threads.
 */
final class SharedInformers {
  private static final Logger LOG = Logger.getLogger(SharedInformers.class);
  static final long WATCH_CHECK_MILLIS = 2_000;

  /** What one informer watches. */
  record Key(
      ClusterConnection connection,
      KubernetesResource resource,
      String namespace,
      String labelSelector,
      String fieldSelector) {
    String describe() {
      StringBuilder sb = new StringBuilder(resource.resource);
      if (resource.namespaced) {
        sb.append(namespace.isEmpty() ? " in all namespaces" : " in namespace " + namespace);
      }
      if (!labelSelector.isEmpty()) {
        sb.append(" with labels ").append(labelSelector);
      }
      if (!fieldSelector.isEmpty()) {
        sb.append(" with fields ").append(fieldSelector);
      }
      return sb.append(" from ").append(connection.describe()).toString();
    }
  }

  /** Receives the failures of the informers a lease holder uses. */
  interface FailureListener {
    void onFailure(Key key, String message);
  }

  private final class Client {
    final KubernetesClient client;
    final RotatingToken token;
    int refs;

    Client(KubernetesClient client, RotatingToken token) {
      this.client = client;
      this.token = token;
    }
  }

  final class Shared {
    final Key key;
    final SharedIndexInformer<HasMetadata> informer;
    final CompletableFuture<Void> synced = new CompletableFuture<>();
    final List<FailureListener> listeners = new CopyOnWriteArrayList<>();
    int refs;
    private volatile String lastError;
    // Only touched by the periodic check.
    private boolean lostWatch;
    private int downChecks;

    Shared(Key key, SharedIndexInformer<HasMetadata> informer) {
      this.key = key;
      this.informer = informer;
    }

    boolean onException(boolean started, Throwable t) {
      String msg = message(t);
      metrics.failure();
      if (!msg.equals(lastError)) {
        lastError = msg;
        LOG.errorf(
            "kubernetes_sd: watching %s failed: %s (retrying with back-off)", key.describe(), msg);
      }
      listeners.forEach(l -> l.onFailure(key, msg));
      return true;
    }

    /**
     * Called every {@link #WATCH_CHECK_MILLIS}: a watch that fabric8 is still re-establishing at
     * two checks in a row is a failure (a routine reconnect, when the API server ends a watch after
     * its timeout, takes less).
     */
    void checkWatch() {
      boolean watching = informer.isWatching();
      if (watching) {
        downChecks = 0;
        if (lostWatch) {
          lostWatch = false;
          recovered();
        }
      } else if (synced.isDone() && ++downChecks == 2) {
        lostWatch = true;
        onException(true, new IllegalStateException("watch connection lost, reconnecting"));
      }
    }

    void recovered() {
      if (lastError != null) {
        lastError = null;
        LOG.infof("kubernetes_sd: watching %s again", key.describe());
      }
    }
  }

  /** One holder's use of one informer; release it exactly once. */
  final class Lease {
    final Shared shared;
    final ResourceEventHandler<HasMetadata> handler;
    final FailureListener failures;

    Lease(Shared shared, ResourceEventHandler<HasMetadata> handler, FailureListener failures) {
      this.shared = shared;
      this.handler = handler;
      this.failures = failures;
    }

    SharedIndexInformer<HasMetadata> informer() {
      return shared.informer;
    }

    CompletableFuture<Void> synced() {
      return shared.synced;
    }

    void release() {
      SharedInformers.this.release(this);
    }
  }

  private final Vertx vertx;
  private final String userAgent;
  private final Path serviceAccount;
  private final KubernetesMetrics metrics;
  private final Map<ClusterConnection, Client> clients = new HashMap<>();
  private final Map<Key, Shared> informers = new HashMap<>();
  private long watchTimer = -1;
  // Blocking registry work runs here, off Vert.x threads: fabric8 creates its own Vert.x instance
  // per client, which it should not do from inside a Vert.x context. Idle threads end after 60 s.
  // One thread, so acquisitions and releases happen in the order they were asked for.
  private final ThreadPoolExecutor blocking =
      new ThreadPoolExecutor(
          1,
          1,
          60,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "quarry-kubernetes-sd");
            t.setDaemon(true);
            return t;
          });

  {
    blocking.allowCoreThreadTimeOut(true);
  }

  SharedInformers(Vertx vertx, String userAgent, Path serviceAccount, KubernetesMetrics metrics) {
    this.vertx = vertx;
    this.userAgent = userAgent;
    this.serviceAccount = serviceAccount;
    this.metrics = metrics;
  }

  /**
   * Joins (or starts) the informer for {@code key} and adds {@code handler}, which first receives
   * an add for every object already cached. Blocking.
   */
  synchronized Lease acquire(
      Key key, ResourceEventHandler<HasMetadata> handler, FailureListener failures)
      throws IOException {
    Shared s = informers.get(key);
    if (s == null) {
      Client c = client(key.connection());
      s = start(key, c.client);
      c.refs++;
      informers.put(key, s);
      if (watchTimer < 0) {
        watchTimer = vertx.setPeriodic(WATCH_CHECK_MILLIS, id -> checkWatches());
      }
    }
    s.refs++;
    s.listeners.add(failures);
    s.informer.addEventHandler(handler);
    return new Lease(s, handler, failures);
  }

  /** Runs blocking registry work ({@link #acquire}, {@link Lease#release}) off Vert.x threads. */
  <T> Future<T> blocking(Context context, Callable<T> task) {
    Promise<T> p = Promise.promise();
    blocking.execute(
        () -> {
          try {
            T result = task.call();
            context.runOnContext(v -> p.complete(result));
          } catch (Exception | Error e) {
            context.runOnContext(v -> p.fail(e));
          }
        });
    return p.future();
  }

  private synchronized void checkWatches() {
    informers.values().forEach(Shared::checkWatch);
  }

  /** Number of running informers (for tests: sharing and release). */
  synchronized int informerCount() {
    return informers.size();
  }

  /** Number of open clients. */
  synchronized int clientCount() {
    return clients.size();
  }

  private Client client(ClusterConnection conn) throws IOException {
    Client c = clients.get(conn);
    if (c == null) {
      RotatingToken[] token = new RotatingToken[1];
      c = new Client(conn.open(vertx, userAgent, serviceAccount, token), token[0]);
      clients.put(conn, c);
    }
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Shared start(Key key, KubernetesClient client) {
    var op = client.resources((Class) key.resource().type);
    FilterWatchListDeletable f;
    if (!key.resource().namespaced) {
      f = op;
    } else if (key.namespace().isEmpty()) {
      f = (FilterWatchListDeletable) op.inAnyNamespace();
    } else {
      f = (FilterWatchListDeletable) op.inNamespace(key.namespace());
    }
    if (!key.labelSelector().isEmpty()) {
      f = (FilterWatchListDeletable) f.withLabelSelector(key.labelSelector());
    }
    for (FieldSelector.Term t : FieldSelector.parse(key.fieldSelector()).terms()) {
      f =
          (FilterWatchListDeletable)
              (t.negated()
                  ? f.withoutField(t.field(), t.value())
                  : f.withField(t.field(), t.value()));
    }
    SharedIndexInformer<HasMetadata> inf = f.runnableInformer(0);
    Shared s = new Shared(key, inf);
    inf.exceptionHandler(s::onException);
    inf.addEventHandler(new CountingHandler(key.resource().role, metrics, s));
    inf.start()
        .whenComplete(
            (v, t) -> {
              if (t == null) {
                s.recovered();
                s.synced.complete(null);
              }
            });
    return s;
  }

  private synchronized void release(Lease lease) {
    Shared s = lease.shared;
    s.informer.removeEventHandler(lease.handler);
    s.listeners.remove(lease.failures);
    if (--s.refs > 0) {
      return;
    }
    informers.remove(s.key);
    s.informer.stop();
    if (informers.isEmpty() && watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
    Client c = clients.get(s.key.connection());
    if (c != null && --c.refs <= 0) {
      clients.remove(s.key.connection());
      if (c.token != null) {
        c.token.close();
      }
      c.client.close();
    }
  }

  static String message(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null
        && cause.getCause() != cause
        && !(cause instanceof KubernetesClientException kce && kce.getCode() > 0)) {
      cause = cause.getCause();
    }
    if (cause instanceof KubernetesClientException kce && kce.getCode() > 0) {
      String reason = kce.getStatus() == null ? null : kce.getStatus().getMessage();
      return "HTTP " + kce.getCode() + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }
    String m = cause.getMessage();
    return cause.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Counts events and marks the informer healthy again whenever one arrives. */
  private record CountingHandler(String role, KubernetesMetrics metrics, Shared shared)
      implements ResourceEventHandler<HasMetadata> {
    @Override
    public void onAdd(HasMetadata obj) {
      metrics.event(role, "add");
      shared.recovered();
    }

    @Override
    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
      metrics.event(role, "update");
      shared.recovered();
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
      metrics.event(role, "delete");
      shared.recovered();
    }
  }
}
