package dev.quarry.discovery;

import dev.quarry.config.DnsSdConfig;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the discovery providers of every job and tells a listener the current target groups of every
 * job whenever they change.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #apply} starts a provider for each new config, stops those whose config disappeared
 *       and leaves running those whose config is unchanged (record equality), so an unrelated edit
 *       of {@code prometheus.yml} does not re-read files or re-poll endpoints. All {@code
 *       static_configs} of a job form one provider (groups {@code "0"}, {@code "1"}, ...). It
 *       completes once new providers are started and removed ones are told to stop, without waiting
 *       for either to finish anything: a slow provider never holds up a reload.
 *   <li>Jobs are independent. A job is in a snapshot once every one of its providers has reported
 *       once, or has not done so within the first-report bound (it then counts as having found
 *       nothing until it reports). A job not yet in a snapshot is one whose targets are not known
 *       yet; the receiver keeps what it had for it (nothing, at start-up). So a job of static
 *       targets is in the very first snapshot, emitted when {@code apply} has started the
 *       providers, and one slow or broken provider delays only its own job, and by at most the
 *       bound.
 *   <li>Each snapshot holds every job that is known, with an empty list when its providers found
 *       nothing (so its targets are removed), groups in config order. A change that leaves the
 *       snapshot equal emits nothing.
 *   <li>{@link #initialDiscovery()} completes the first time every configured job is in a snapshot,
 *       so at the latest one first-report bound after the first {@code apply}.
 *   <li>Each failed refresh a provider reports is counted through {@link Failures} with its job and
 *       mechanism, and so is a missed first-report bound.
 *   <li>{@link #stop()} stops every provider and completes when they have stopped, waiting at most
 *       {@link #STOP_BOUND} for any one; nothing is emitted after it is called.
 * </ul>
 *
 * <p>Threading: all mutable state lives on one Vert.x context, taken at construction ({@code
 * vertx.getOrCreateContext()}); public methods may be called from any thread and hop onto it.
 * Providers are started on that context and report on it; the listener is called on it too, so it
 * must not block (it should store the snapshot and signal, as the scrape manager does).
 */
public final class DiscoveryManager {
  private static final Logger LOG = Logger.getLogger(DiscoveryManager.class);

  /** How long a job waits for a provider's first report by default. */
  public static final Duration FIRST_REPORT_BOUND = Duration.ofSeconds(30);

  /** How long {@link #stop()} waits for one provider to stop. */
  static final Duration STOP_BOUND = Duration.ofSeconds(5);

  /** Creates the provider for one key of a job: a {@link StaticConfigs} or another config. */
  interface ProviderFactory {
    DiscoveryProvider create(String job, Object key);
  }

  /** Told of every failed refresh, on the manager's context; must not block. */
  public interface Failures {
    /**
     * @param mechanism {@code static}, {@code file}, {@code http}, ... (the config's kind)
     * @param message names the provider and the reason
     */
    void failed(String job, String mechanism, String message);
  }

  /** Key of the single provider that serves all {@code static_configs} of a job. */
  record StaticConfigs(List<StaticConfig> configs) {}

  private static final class Running {
    DiscoveryProvider provider;
    List<TargetGroup> groups = List.of();
    boolean reported;
    long firstReportTimer = -1;
  }

  private final Vertx vertx;
  private final Context context;
  private final ProviderFactory factory;
  private final Consumer<Map<String, List<TargetGroup>>> listener;
  private final Failures failures;
  private final Duration firstReportBound;
  private final Promise<Void> first = Promise.promise();

  // Confined to `context`.
  private final Map<String, Map<Object, Running>> jobs = new LinkedHashMap<>();
  private final Set<Future<Void>> stopping = new LinkedHashSet<>();
  private Map<String, List<TargetGroup>> lastEmitted = Map.of();
  private boolean applying;
  private boolean stopped;

  /**
   * @param clients builds the HTTP clients of {@code http_sd_configs}
   * @param kubernetes the shared Kubernetes informers of {@code kubernetes_sd_configs}
   * @param dns the resolver settings and counters of {@code dns_sd_configs}
   * @param userAgent sent by HTTP discovery requests
   * @param listener receives each snapshot on the manager's context
   * @param failures told of every failed refresh
   */
  public DiscoveryManager(
      Vertx vertx,
      HttpClientFactory clients,
      KubernetesDiscovery kubernetes,
      DnsDiscovery dns,
      String userAgent,
      Consumer<Map<String, List<TargetGroup>>> listener,
      Failures failures) {
    this(
        vertx,
        defaultFactory(vertx, clients, kubernetes, dns, userAgent),
        listener,
        failures,
        FIRST_REPORT_BOUND);
  }

  DiscoveryManager(
      Vertx vertx, ProviderFactory factory, Consumer<Map<String, List<TargetGroup>>> listener) {
    this(vertx, factory, listener, (job, mechanism, message) -> {}, FIRST_REPORT_BOUND);
  }

  DiscoveryManager(
      Vertx vertx,
      ProviderFactory factory,
      Consumer<Map<String, List<TargetGroup>>> listener,
      Failures failures,
      Duration firstReportBound) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.factory = factory;
    this.listener = listener;
    this.failures = failures;
    this.firstReportBound = firstReportBound;
  }

  private static ProviderFactory defaultFactory(
      Vertx vertx,
      HttpClientFactory clients,
      KubernetesDiscovery kubernetes,
      DnsDiscovery dns,
      String userAgent) {
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
      if (key instanceof DnsSdConfig d) {
        return dns.provider(job, d);
      }
      throw new IllegalArgumentException("unsupported discovery config " + key);
    };
  }

  /**
   * Makes the running providers match {@code configs} (job name to its discovery configs). The
   * future completes once new providers have been started and removed ones told to stop.
   */
  public Future<Void> apply(Map<String, List<ServiceDiscoveryConfig>> configs) {
    Map<String, List<ServiceDiscoveryConfig>> copy = new LinkedHashMap<>(configs);
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> doApply(copy).onComplete(done));
    return done.future();
  }

  /** Completes the first time every configured job is in a snapshot. */
  public Future<Void> initialDiscovery() {
    return first.future();
  }

  /** Stops every provider; the future completes when all have stopped or their bound passed. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          jobs.forEach((job, m) -> m.values().forEach(r -> stopProvider(job, r)));
          jobs.clear();
          Future.join(new ArrayList<>(stopping)).<Void>mapEmpty().onComplete(done);
        });
    return done.future();
  }

  private Future<Void> doApply(Map<String, List<ServiceDiscoveryConfig>> configs) {
    if (stopped) {
      return Future.failedFuture("discovery manager is stopped");
    }
    for (var it = jobs.entrySet().iterator(); it.hasNext(); ) {
      var job = it.next();
      if (!configs.containsKey(job.getKey())) {
        job.getValue().values().forEach(r -> stopProvider(job.getKey(), r));
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
            stopProvider(job, r.getValue());
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
    return Future.succeededFuture();
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

  /** {@code static}, {@code file}, {@code http}, ...: the kind of discovery config. */
  static String mechanism(Object key) {
    if (key instanceof StaticConfigs) {
      return "static";
    }
    String n = key.getClass().getSimpleName();
    n = n.endsWith("SdConfig") ? n.substring(0, n.length() - "SdConfig".length()) : n;
    return n.toLowerCase(java.util.Locale.ROOT);
  }

  private void start(String job, Object key, Running r) {
    String mechanism = mechanism(key);
    r.firstReportTimer =
        vertx.setTimer(
            Math.max(1, firstReportBound.toMillis()),
            id -> {
              r.firstReportTimer = -1;
              if (!r.reported && isCurrent(job, key, r)) {
                String msg =
                    String.format(
                        "job \"%s\": %s discovery %s has not reported within %s; the job goes on"
                            + " without its targets until it does",
                        job, mechanism, key, firstReportBound);
                LOG.warn(msg);
                failures.failed(job, mechanism, msg);
                r.reported = true;
                maybeEmit();
              }
            });
    try {
      r.provider = factory.create(job, key);
      r.provider.start(
          groups -> onUpdate(job, key, r, groups),
          message -> {
            if (isCurrent(job, key, r)) {
              failures.failed(job, mechanism, message);
            }
          });
    } catch (RuntimeException e) {
      LOG.errorf(e, "job \"%s\": cannot start discovery for %s", job, key);
      failures.failed(job, mechanism, "cannot start discovery: " + e);
      r.reported = true;
    }
  }

  private boolean isCurrent(String job, Object key, Running r) {
    Map<Object, Running> current = jobs.get(job);
    return !stopped && current != null && current.get(key) == r;
  }

  private void onUpdate(String job, Object key, Running r, List<TargetGroup> groups) {
    if (!isCurrent(job, key, r)) {
      return; // a late report of a provider that was stopped meanwhile
    }
    if (r.firstReportTimer >= 0) {
      vertx.cancelTimer(r.firstReportTimer);
      r.firstReportTimer = -1;
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
    jobs:
    for (var job : jobs.entrySet()) {
      List<TargetGroup> all = new ArrayList<>();
      for (Running r : job.getValue().values()) {
        if (!r.reported) {
          continue jobs; // not known yet: left out, so the receiver keeps what it had
        }
        all.addAll(r.groups);
      }
      snapshot.put(job.getKey(), List.copyOf(all));
    }
    if (!snapshot.equals(lastEmitted)) {
      lastEmitted = snapshot;
      try {
        listener.accept(Collections.unmodifiableMap(snapshot));
      } catch (RuntimeException e) {
        LOG.errorf(e, "discovery listener failed");
      }
    }
    if (snapshot.size() == jobs.size()) {
      first.tryComplete(); // every configured job is known
    }
  }

  /** Tells a provider to stop; {@link #stop()} waits for it, within {@link #STOP_BOUND}. */
  private void stopProvider(String job, Running r) {
    if (r.firstReportTimer >= 0) {
      vertx.cancelTimer(r.firstReportTimer);
      r.firstReportTimer = -1;
    }
    if (r.provider == null) {
      return;
    }
    Promise<Void> done = Promise.promise();
    long bound =
        vertx.setTimer(
            STOP_BOUND.toMillis(),
            id -> {
              if (done.tryComplete()) {
                LOG.warnf(
                    "job \"%s\": a discovery provider did not stop within %s", job, STOP_BOUND);
              }
            });
    Future<Void> f;
    try {
      f = r.provider.stop();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          vertx.cancelTimer(bound);
          if (ar.failed()) {
            LOG.errorf(ar.cause(), "job \"%s\": error stopping discovery provider", job);
          }
          done.tryComplete();
        });
    Future<Void> fut = done.future();
    stopping.add(fut);
    fut.onComplete(v -> context.runOnContext(x -> stopping.remove(fut)));
  }
}
