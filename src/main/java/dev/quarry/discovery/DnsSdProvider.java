package dev.quarry.discovery;

import dev.quarry.config.DnsSdConfig;
import dev.quarry.model.Labels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One {@code dns_sd_configs} entry: queries each of its names for records of its type, at start and
 * then {@code refresh_interval} after the previous refresh ended, and reports one group per name
 * with source = the name and the targets {@link DnsLookup} makes of the answer.
 *
 * <p>As in Prometheus, the names are looked up concurrently and independently: a name whose lookup
 * fails keeps its last good group (a name that never resolved has none), logged as an error naming
 * the job and the name and passed to the failure listener, while the other names' groups are
 * updated. A name that does not exist (NXDOMAIN) or has no records of the type has an empty group,
 * so its targets go away. A report is made after the first refresh and then only when the groups
 * changed.
 *
 * <p>Queries use Vert.x' non-blocking DNS client, one per server, created on the start context and
 * closed by {@link #stop}, which fails queries in flight instead of waiting for them. Each query
 * ends at {@link DnsDiscovery#QUERY_TIMEOUT}, whatever the server does, so a refresh ends after at
 * most (candidate names × servers) of them; the next one starts an interval after it ended.
 *
 * <p>Threading: state is confined to the context {@link #start} runs on; one refresh at a time.
 */
final class DnsSdProvider implements DiscoveryProvider {
  private static final Logger LOG = Logger.getLogger(DnsSdProvider.class);

  private final Vertx vertx;
  private final DnsSdConfig config;
  private final DnsDiscovery dns;
  private final String name;
  private final List<String> names;
  private final DnsLookup lookup;

  // Confined to the start context.
  private final Map<InetSocketAddress, DnsClient> clients = new HashMap<>();
  private final Map<String, TargetGroup> lastGood = new HashMap<>();
  private Consumer<List<TargetGroup>> updates;
  private Consumer<String> failures = reason -> {};
  private List<TargetGroup> reported;
  private long timerId = -1;
  private boolean stopped;

  DnsSdProvider(Vertx vertx, String job, DnsSdConfig config, DnsDiscovery dns) {
    this.vertx = vertx;
    this.config = config;
    this.dns = dns;
    this.name = "job \"" + job + "\" dns_sd";
    this.names = List.copyOf(new LinkedHashSet<>(config.names()));
    this.lookup = new DnsLookup(this::client, config.type(), config.port());
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    this.updates = updates;
    refresh();
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates, Consumer<String> failures) {
    this.failures = failures;
    start(updates);
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(c -> closing.add(c.close()));
    clients.clear();
    return Future.join(closing).<Void>mapEmpty().otherwiseEmpty();
  }

  private void refresh() {
    if (stopped) {
      return;
    }
    dns.resolvConf()
        .transform(
            ar -> {
              List<Future<Void>> all = new ArrayList<>(names.size());
              for (String n : names) {
                Future<List<Labels>> f =
                    ar.succeeded()
                        ? lookup.lookup(ar.result(), n)
                        : Future.failedFuture(ar.cause());
                all.add(f.transform(r -> done(n, r.succeeded() ? r.result() : null, r.cause())));
              }
              return Future.join(all);
            })
        .onComplete(
            v -> {
              if (stopped) {
                return;
              }
              report();
              timerId = vertx.setTimer(intervalMillis(), id -> refresh());
            });
  }

  /** Records one name's outcome: its new group, or the failure that keeps its last one. */
  private Future<Void> done(String n, List<Labels> targets, Throwable failure) {
    if (stopped) {
      return Future.succeededFuture();
    }
    dns.lookedUp(targets == null);
    if (targets != null) {
      lastGood.put(n, new TargetGroup(n, List.copyOf(targets), Labels.EMPTY));
    } else {
      String reason =
          "error refreshing DNS targets of name \""
              + n
              + "\", keeping its last targets: "
              + failure.getMessage();
      LOG.errorf("%s: %s", name, reason);
      failures.accept(name + ": " + reason);
    }
    return Future.succeededFuture();
  }

  private void report() {
    List<TargetGroup> groups = new ArrayList<>(names.size());
    for (String n : names) {
      TargetGroup g = lastGood.get(n);
      if (g != null) {
        groups.add(g);
      }
    }
    if (groups.equals(reported)) {
      return;
    }
    reported = List.copyOf(groups);
    updates.accept(reported);
  }

  /** The client for {@code server}, created on first use on this provider's context. */
  private DnsClient client(InetSocketAddress server) {
    return clients.computeIfAbsent(
        server,
        s ->
            vertx.createDnsClient(
                new DnsClientOptions()
                    .setHost(s.getAddress().getHostAddress())
                    .setPort(s.getPort())
                    .setQueryTimeout(DnsDiscovery.QUERY_TIMEOUT.toMillis())
                    .setRecursionDesired(true)));
  }

  private long intervalMillis() {
    return Math.max(1, config.refreshInterval().toMillis());
  }
}
