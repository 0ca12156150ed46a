package dev.quarry.discovery;

import dev.quarry.config.FileSdConfig;
import dev.quarry.config.HttpSdConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.config.ServiceDiscoveryConfig;
import dev.quarry.config.StaticConfig;
import dev.quarry.discovery.kubernetes.KubernetesDiscovery;
import dev.quarry.http.HttpClientFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the discovery providers of every job and tells a listener the complete current target
 * groups of every job whenever they change.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #apply} starts a provider for each new config, stops those whose config disappeared
 *       and leaves running those whose config is unchanged (record equality), so an unrelated edit
 *       of {@code prometheus.yml} does not re-read files or re-poll endpoints. All {@code
 *       static_configs} of a job form one provider (groups {@code "0"}, {@code "1"}, ...).
 *   <li>Each emission is a full snapshot: every configured job is a key, with an empty list when
 *       its providers found nothing (so its targets are removed), groups in config order.
 *   <li>The first emission waits until every provider has reported once (a provider whose first
 *       attempt fails reports an empty list), so the receiver can tell "first discovery done";
 *       {@link #initialDiscovery()} completes at that moment. Later emissions follow each change;
 *       a refresh that changes nothing emits nothing.
 *   <li>{@link #stop()} completes when every provider has stopped; nothing is emitted after it.
 * </ul>
 *
 * <p>Threading: all mutable state lives on one Vert.x context, taken at construction ({@code
 * vertx.getOrCreateContext()}); public methods may be called from any thread and hop onto it.
 * Providers are started on that context and report on it; the listener is called on it too, so it
 * must not block (it should store the snapshot and signal, as the scrape manager does).
 */
public final class DiscoveryManager {
  private static final Logger LOG = Logger.getLogger(DiscoveryManager.class);

  /** Creates the provider for one key of a job: a {@link StaticConfigs} or another config. */
  interface ProviderFactory {
    DiscoveryProvider create(String job, Object key);
  }

  /** Key of the single provider that serves all {@code static_configs} of a job. */
  record StaticConfigs(List<StaticConfig> configs) {}

  private static final class Running {
    DiscoveryProvider provider;
    List<TargetGroup> groups = List.of();
    boolean reported;
  }

  private final Context context;
  private final ProviderFactory factory;
  private final Consumer<Map<String, List<TargetGroup>>> listener;
  private final Promise<Void> first = Promise.promise();

  // Confined to `context`.
  private final Map<String, Map<Object, Running>> jobs = new LinkedHashMap<>();
  private Map<String, List<TargetGroup>> lastEmitted;
  private boolean applying;
  private boolean stopped;

  /**
   * @param clients builds the HTTP clients of {@code http_sd_configs}
   * @param userAgent sent by HTTP discovery requests
   * @param listener receives each snapshot on the manager's context
   */
  public DiscoveryManager(
      Vertx vertx,
      HttpClientFactory clients,
      String userAgent,
      Consumer<Map<String, List<TargetGroup>>> listener) {
    this(vertx, clients, new KubernetesDiscovery(vertx, userAgent, null), userAgent, listener);
  }

  /** As above, with the shared Kubernetes informers and their metrics given. */
  public DiscoveryManager(
      Vertx vertx,
      HttpClientFactory clients,
      KubernetesDiscovery kubernetes,
      String userAgent,
      Consumer<Map<String, List<TargetGroup>>> listener) {
    this(vertx, defaultFactory(vertx, clients, kubernetes, userAgent), listener);
  }

  DiscoveryManager(
      Vertx vertx, ProviderFactory factory, Consumer<Map<String, List<TargetGroup>>> listener) {
    this.context = vertx.getOrCreateContext();
    this.factory = factory;
    this.listener = listener;
  }

  private static ProviderFactory defaultFactory(
      Vertx vertx, HttpClientFactory clients, KubernetesDiscovery kubernetes, String userAgent) {
    return (job, key) -> {
      if (key instanceof StaticConfigs s) {
        return new StaticProvider(s.configs());
      }
      if (key instanceof FileSdConfig f) {
        return new FileSdProvider(vertx, job, f);
      }
      if (key instanceof HttpSdConfig h) {
        return new HttpSdProvider(vertx, job, h, clients, userAgent);
      }
      if (key instanceof KubernetesSdConfig k) {
        return kubernetes.provider(job, k);
      }
      throw new IllegalArgumentException("unsupported discovery config " + key);
    };
  }

  /**
   * Makes the running providers match {@code configs} (job name to its discovery configs). The
   * future completes once removed providers have stopped and new ones have been started.
   */
  public Future<Void> apply(Map<String, List<ServiceDiscoveryConfig>> configs) {
    Map<String, List<ServiceDiscoveryConfig>> copy = new LinkedHashMap<>(configs);
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> doApply(copy).onComplete(done));
    return done.future();
  }

  /** Completes when the first snapshot has been emitted. */
  public Future<Void> initialDiscovery() {
    return first.future();
  }

  /** Stops every provider; the future completes when all have stopped. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          List<Future<Void>> stops = new ArrayList<>();
          jobs.values().forEach(m -> m.values().forEach(r -> stops.add(stopQuietly(r))));
          jobs.clear();
          Future.join(stops).<Void>mapEmpty().onComplete(done);
        });
    return done.future();
  }

  private Future<Void> doApply(Map<String, List<ServiceDiscoveryConfig>> configs) {
    if (stopped) {
      return Future.failedFuture("discovery manager is stopped");
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (var it = jobs.entrySet().iterator(); it.hasNext(); ) {
      var job = it.next();
      if (!configs.containsKey(job.getKey())) {
        job.getValue().values().forEach(r -> stops.add(stopQuietly(r)));
        it.remove();
      }
    }
    applying = true;
    try {
      for (var e : configs.entrySet()) {
        String job = e.getKey();
        Set<Object> wanted = keys(e.getValue());
        Map<Object, Running> running = jobs.getOrDefault(job, Map.of());
        Map<Object, Running> next = new LinkedHashMap<>();
        for (var r : running.entrySet()) {
          if (!wanted.contains(r.getKey())) {
            stops.add(stopQuietly(r.getValue()));
          }
        }
        for (Object key : wanted) {
          Running r = running.get(key);
          next.put(key, r != null ? r : new Running());
        }
        jobs.put(job, next);
        for (var r : next.entrySet()) {
          if (r.getValue().provider == null && !r.getValue().reported) {
            start(job, r.getKey(), r.getValue());
          }
        }
      }
    } finally {
      applying = false;
    }
    maybeEmit();
    return Future.join(stops).mapEmpty();
  }

  private static Set<Object> keys(List<ServiceDiscoveryConfig> configs) {
    Set<Object> keys = new LinkedHashSet<>();
    List<StaticConfig> statics = new ArrayList<>();
    for (ServiceDiscoveryConfig c : configs) {
      if (c instanceof StaticConfig s) {
        statics.add(s);
      }
    }
    if (!statics.isEmpty()) {
      keys.add(new StaticConfigs(List.copyOf(statics)));
    }
    for (ServiceDiscoveryConfig c : configs) {
      if (!(c instanceof StaticConfig)) {
        keys.add(c);
      }
    }
    return keys;
  }

  private void start(String job, Object key, Running r) {
    try {
      r.provider = factory.create(job, key);
      r.provider.start(groups -> onUpdate(job, key, r, groups));
    } catch (RuntimeException e) {
      LOG.errorf(e, "job \"%s\": cannot start discovery for %s", job, key);
      r.reported = true;
    }
  }

  private void onUpdate(String job, Object key, Running r, List<TargetGroup> groups) {
    Map<Object, Running> current = jobs.get(job);
    if (stopped || current == null || current.get(key) != r) {
      return; // a late report of a provider that was stopped meanwhile
    }
    r.groups = List.copyOf(groups);
    r.reported = true;
    maybeEmit();
  }

  private void maybeEmit() {
    if (applying || stopped) {
      return;
    }
    Map<String, List<TargetGroup>> snapshot = new LinkedHashMap<>();
    for (var job : jobs.entrySet()) {
      List<TargetGroup> all = new ArrayList<>();
      for (Running r : job.getValue().values()) {
        if (!r.reported && !first.future().isComplete()) {
          return; // the first emission waits for every provider; later ones do not
        }
        all.addAll(r.groups);
      }
      snapshot.put(job.getKey(), List.copyOf(all));
    }
    if (snapshot.equals(lastEmitted)) {
      return;
    }
    lastEmitted = snapshot;
    Map<String, List<TargetGroup>> view = java.util.Collections.unmodifiableMap(snapshot);
    try {
      listener.accept(view);
    } catch (RuntimeException e) {
      LOG.errorf(e, "discovery listener failed");
    }
    first.tryComplete();
  }

  private static Future<Void> stopQuietly(Running r) {
    if (r.provider == null) {
      return Future.succeededFuture();
    }
    return r.provider
        .stop()
        .onFailure(e -> LOG.errorf(e, "error stopping discovery provider"))
        .otherwiseEmpty();
  }
}
