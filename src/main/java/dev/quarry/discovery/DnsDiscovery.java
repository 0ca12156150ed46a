package dev.quarry.discovery;

import dev.quarry.config.DnsSdConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry point of {@code dns_sd_configs}: where its queries go and its self-metrics, {@code
 * quarry_sd_dns_lookups_total} and {@code quarry_sd_dns_lookup_failures_total} (one lookup per
 * configured name and refresh, as Prometheus' {@code prometheus_sd_dns_*} counters).
 *
 * <p>Queries go to the server of {@code quarry.discovery.dns.server} when set, else to the name
 * servers of {@code /etc/resolv.conf} with its search list, read again at every refresh (without
 * blocking an event loop), as Prometheus reads it at every lookup. Thread-safe.
 */
public final class DnsDiscovery {
  /** How long one query waits for its answer, as Prometheus' DNS client (2 s). */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  static final String RESOLV_CONF = "/etc/resolv.conf";

  private final Vertx vertx;
  private final ResolvConf fixed;
  private final String resolvConfPath;
  private final Counter lookups;
  private final Counter failures;
  private final AtomicLong lookupCount = new AtomicLong();
  private final AtomicLong failureCount = new AtomicLong();

  /**
   * @param server {@code ip[:port]} or {@code [ipv6]:port} of the DNS server to ask instead of
   *     those of {@code /etc/resolv.conf}
   * @param registry where to register the counters, or null for none
   * @throws IllegalArgumentException when {@code server} is not an IP address with optional port
   */
  public DnsDiscovery(Vertx vertx, Optional<String> server, MeterRegistry registry) {
    this(
        vertx,
        server.filter(s -> !s.isBlank()).map(ResolvConf::parseServer).orElse(null),
        RESOLV_CONF,
        registry);
  }

  /** Asks {@code server} when not null, else the servers of the resolv.conf file at the path. */
  DnsDiscovery(
      Vertx vertx, InetSocketAddress server, String resolvConfPath, MeterRegistry registry) {
    this(vertx, server == null ? null : ResolvConf.of(server), resolvConfPath, registry);
  }

  /** Uses {@code fixed} for every lookup. */
  DnsDiscovery(Vertx vertx, ResolvConf fixed, MeterRegistry registry) {
    this(vertx, fixed, RESOLV_CONF, registry);
  }

  private DnsDiscovery(
      Vertx vertx, ResolvConf fixed, String resolvConfPath, MeterRegistry registry) {
    this.vertx = vertx;
    this.fixed = fixed;
    this.resolvConfPath = resolvConfPath;
    this.lookups =
        registry == null
            ? null
            : Counter.builder("quarry.sd.dns.lookups")
                .description("The number of DNS-SD lookups.")
                .register(registry);
    this.failures =
        registry == null
            ? null
            : Counter.builder("quarry.sd.dns.lookup.failures")
                .description("The number of DNS-SD lookup failures.")
                .register(registry);
  }

  /** A provider for one entry of job {@code job}; it queries on {@code start}. */
  public DiscoveryProvider provider(String job, DnsSdConfig config) {
    return new DnsSdProvider(vertx, job, config, this);
  }

  /** The servers and search list to use now; completes on the caller's context. */
  Future<ResolvConf> resolvConf() {
    if (fixed != null) {
      return Future.succeededFuture(fixed);
    }
    return vertx
        .fileSystem()
        .readFile(resolvConfPath)
        .map(b -> ResolvConf.parse(b.toString()))
        .recover(e -> Future.failedFuture("could not load resolv.conf: " + e.getMessage()));
  }

  void lookedUp(boolean failed) {
    lookupCount.incrementAndGet();
    if (lookups != null) {
      lookups.increment();
    }
    if (failed) {
      failureCount.incrementAndGet();
      if (failures != null) {
        failures.increment();
      }
    }
  }

  long lookups() {
    return lookupCount.get();
  }

  long failures() {
    return failureCount.get();
  }
}
