package dev.quarry.discovery.kubernetes;

import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.DiscoveryProvider;
import dev.quarry.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One {@code kubernetes_sd_configs} entry: joins the shared informers its role needs (per watched
 * namespace), and reports one group per primary object, built by the role's builder from the
 * informer caches.
 *
 * <p>Reporting: the first report follows the sync of every informer (list done), or the first
 * failure, or the start deadline, whichever comes first (then with the groups known so far,
 * possibly none), so a missing or forbidding API server never holds up the first discovery; later
 * reports follow changes, coalesced over {@link #BATCH_MILLIS}. A deleted object's group disappears
 * from the next report. Failures keep the caches and so the last known targets.
 *
 * <p>Threading: informer callbacks (fabric8 threads) only add keys to a concurrent dirty set.
 * Everything else runs on the context {@link #start} is called on, except rebuilding groups, which
 * runs on a worker, one rebuild at a time; the group map is only touched by rebuilds, which Vert.x
 * orders (each starts after the previous one's result was handled on the context).
 */
final class KubernetesSdProvider implements DiscoveryProvider {
  private static final Logger LOG = Logger.getLogger(KubernetesSdProvider.class);
  static final long BATCH_MILLIS = 100;

  private final Vertx vertx;
  private final KubernetesSdConfig config;
  private final SharedInformers informers;
  private final Path serviceAccount;
  private final Duration startDeadline;
  private final String name;
  private final RoleSpec spec;

  // Set once by the acquiring worker, read afterwards.
  private volatile Map<KubernetesResource, List<SharedInformers.Lease>> leases = Map.of();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean synced;
  private volatile boolean stopped;

  // Only touched by rebuilds (one at a time, see class comment).
  private final Map<String, TargetGroup> groups = new TreeMap<>();

  // Confined to the context.
  private Context context;
  private java.util.function.Consumer<List<TargetGroup>> updates;
  private boolean reported;
  private boolean building;
  private boolean fullRebuild;
  private long deadlineTimer = -1;
  private Future<Void> started = Future.succeededFuture();

  KubernetesSdProvider(
      Vertx vertx,
      String job,
      KubernetesSdConfig config,
      SharedInformers informers,
      Path serviceAccount,
      Duration startDeadline) {
    this.vertx = vertx;
    this.config = config;
    this.informers = informers;
    this.serviceAccount = serviceAccount;
    this.startDeadline = startDeadline;
    this.spec = new RoleSpec(config);
    this.name = "job \"" + job + "\" kubernetes_sd role " + config.role();
  }

  @Override
  public void start(java.util.function.Consumer<List<TargetGroup>> updates) {
    this.context = vertx.getOrCreateContext();
    this.updates = updates;
    deadlineTimer =
        vertx.setTimer(
            Math.max(1, startDeadline.toMillis()),
            id -> {
              deadlineTimer = -1;
              if (!reported) {
                LOG.warnf(
                    "%s: informers not synced after %s, starting without them",
                    name, startDeadline);
                report(List.of());
              }
            });
    started =
        informers
            .blocking(context, this::acquire)
            .onSuccess(
                acquired -> {
                  leases = acquired;
                  List<CompletableFuture<Void>> syncs = new ArrayList<>();
                  acquired.values().forEach(l -> l.forEach(x -> syncs.add(x.synced())));
                  CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new))
                      .thenRun(() -> context.runOnContext(v -> onSynced()));
                })
            .onFailure(
                e -> {
                  LOG.errorf("%s: cannot start: %s", name, e.getMessage());
                  report(List.of());
                })
            .mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    return started
        .otherwiseEmpty()
        .compose(
            v ->
                informers.blocking(
                    context,
                    () -> {
                      leases.values().forEach(l -> l.forEach(SharedInformers.Lease::release));
                      leases = Map.of();
                      return null;
                    }));
  }

  private Map<KubernetesResource, List<SharedInformers.Lease>> acquire() throws IOException {
    List<String> namespaces = namespaces();
    Map<KubernetesResource, List<SharedInformers.Lease>> out =
        new EnumMap<>(KubernetesResource.class);
    ClusterConnection conn = ClusterConnection.of(config);
    try {
      for (var w : spec.watched().entrySet()) {
        KubernetesResource r = w.getKey();
        KubernetesSdConfig.Selector sel =
            w.getValue() == null ? null : config.selector(w.getValue());
        String label = sel == null ? "" : sel.label();
        String field = sel == null ? "" : sel.field();
        List<SharedInformers.Lease> list = new ArrayList<>();
        for (String ns : r.namespaced ? namespaces : List.of("")) {
          var key = new SharedInformers.Key(conn, r, ns, label, field);
          list.add(informers.acquire(key, handler(r), this::onFailure));
        }
        out.put(r, list);
      }
    } catch (IOException | RuntimeException e) {
      out.values().forEach(l -> l.forEach(SharedInformers.Lease::release));
      throw e;
    }
    return out;
  }

  /** The namespaces to watch, {@code ""} meaning all, as Prometheus' getNamespaces. */
  private List<String> namespaces() throws IOException {
    List<String> names = new ArrayList<>(config.namespaces().names());
    if (config.namespaces().ownNamespace()) {
      Path file = serviceAccount.resolve("namespace");
      String own;
      try {
        own = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException("could not determine the pod's namespace: " + e.getMessage(), e);
      }
      if (own.isEmpty()) {
        throw new IOException("could not read own namespace name (empty file)");
      }
      names.add(own);
    }
    return names.isEmpty() ? List.of("") : List.copyOf(names);
  }

  private ResourceEventHandler<HasMetadata> handler(KubernetesResource r) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        changed(r, obj);
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        changed(r, newObj);
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        changed(r, obj);
      }
    };
  }

  /** On a fabric8 thread: note what to rebuild; before the sync, the full rebuild covers it. */
  private void changed(KubernetesResource r, HasMetadata obj) {
    if (!synced || stopped) {
      return;
    }
    dirty.addAll(spec.affected(r, obj, this::list));
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> vertx.setTimer(BATCH_MILLIS, id -> flush()));
    }
  }

  private void onFailure(SharedInformers.Key key, String message) {
    context.runOnContext(
        v -> {
          if (!reported && !stopped) {
            report(List.of());
          }
        });
  }

  private void onSynced() {
    if (stopped) {
      return;
    }
    synced = true;
    fullRebuild = true;
    flush();
  }

  private void flush() {
    scheduled.set(false);
    if (stopped || building || !synced) {
      return;
    }
    boolean full = fullRebuild;
    if (!full && dirty.isEmpty()) {
      return;
    }
    fullRebuild = false;
    List<String> keys = new ArrayList<>();
    for (var it = dirty.iterator(); it.hasNext(); ) {
      keys.add(it.next());
      it.remove();
    }
    building = true;
    vertx
        .executeBlocking(() -> rebuild(full, keys), false)
        .onComplete(
            ar -> {
              building = false;
              if (ar.failed()) {
                LOG.errorf(ar.cause(), "%s: building target groups failed", name);
              } else if (ar.result() != null || !reported) {
                report(ar.result() != null ? ar.result() : List.of());
              }
              if (!dirty.isEmpty() && scheduled.compareAndSet(false, true)) {
                vertx.setTimer(BATCH_MILLIS, id -> flush());
              }
            });
  }

  /** On a worker: the new full group list, or null when nothing changed. */
  private List<TargetGroup> rebuild(boolean full, List<String> keys) {
    Lookup lookup = lookup();
    boolean changed = false;
    if (full) {
      Map<String, TargetGroup> next = new TreeMap<>();
      for (HasMetadata o : list(spec.primary)) {
        String key = RoleSpec.key(o);
        TargetGroup g = spec.build(key, o, lookup);
        if (g == null) {
          g = groups.get(spec.source(key));
        }
        if (g != null) {
          next.put(g.source(), g);
        }
      }
      changed = !next.equals(groups);
      groups.clear();
      groups.putAll(next);
    } else {
      for (String key : keys) {
        HasMetadata o = get(spec.primary, key);
        String source = spec.source(key);
        if (o == null) {
          changed |= groups.remove(source) != null;
          continue;
        }
        TargetGroup g = spec.build(key, o, lookup);
        if (g != null && !g.equals(groups.put(source, g))) {
          changed = true;
        }
      }
    }
    return changed ? List.copyOf(groups.values()) : null;
  }

  private void report(List<TargetGroup> list) {
    if (stopped) {
      return;
    }
    reported = true;
    updates.accept(list);
  }

  private List<HasMetadata> list(KubernetesResource r) {
    List<HasMetadata> out = new ArrayList<>();
    for (SharedInformers.Lease l : leases.getOrDefault(r, List.of())) {
      out.addAll(l.informer().getStore().list());
    }
    return out;
  }

  /** The cached object with informer key {@code key} ({@code ns/name} or {@code name}). */
  private HasMetadata get(KubernetesResource r, String key) {
    int slash = key.indexOf('/');
    String ns = slash < 0 ? "" : key.substring(0, slash);
    for (SharedInformers.Lease l : leases.getOrDefault(r, List.of())) {
      String watched = l.shared.key.namespace();
      if (watched.isEmpty() || watched.equals(ns)) {
        HasMetadata o = l.informer().getStore().getByKey(key);
        if (o != null) {
          return o;
        }
      }
    }
    return null;
  }

  private Lookup lookup() {
    boolean node = spec.attachNode();
    boolean namespace = spec.attachNamespace();
    return new Lookup() {
      @Override
      public Pod pod(String ns, String podName) {
        return (Pod) get(KubernetesResource.PODS, ns + "/" + podName);
      }

      @Override
      public Service service(String ns, String svcName) {
        return (Service) get(KubernetesResource.SERVICES, ns + "/" + svcName);
      }

      @Override
      public Node node(String nodeName) {
        return node ? (Node) get(KubernetesResource.NODES, nodeName) : null;
      }

      @Override
      public Namespace namespace(String ns) {
        return namespace ? (Namespace) get(KubernetesResource.NAMESPACES, ns) : null;
      }

      @Override
      public boolean attachNode() {
        return node;
      }

      @Override
      public boolean attachNamespace() {
        return namespace;
      }
    };
  }

  /** For tests: completes when the informers were joined (or joining failed). */
  Future<Void> started() {
    Promise<Void> p = Promise.promise();
    started.onComplete(ar -> p.tryComplete());
    return p.future();
  }
}
