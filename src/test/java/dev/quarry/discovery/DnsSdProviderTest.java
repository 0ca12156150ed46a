package dev.quarry.discovery;

import static dev.quarry.testing.TestDnsServer.a;
import static dev.quarry.testing.TestDnsServer.aaaa;
import static dev.quarry.testing.TestDnsServer.cname;
import static dev.quarry.testing.TestDnsServer.mx;
import static dev.quarry.testing.TestDnsServer.ns;
import static dev.quarry.testing.TestDnsServer.srv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import dev.quarry.config.DnsSdConfig;
import dev.quarry.model.Labels;
import dev.quarry.testing.BlockedThreadReports;
import dev.quarry.testing.TestDnsServer;
import dev.quarry.testing.TestDnsServer.Rr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dns_sd_configs} against a real DNS server on loopback ({@link TestDnsServer}): the targets
 * and meta labels of each record type as Prometheus makes them, refreshes, NXDOMAIN, and failures
 * that keep a name's last targets without touching the other names.
 */
class DnsSdProviderTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  Vertx vertx;
  TestDnsServer server;
  SimpleMeterRegistry registry;
  DnsDiscovery dns;
  DiscoveryProvider provider;
  BlockedThreadReports blocked;
  final Updates<List<TargetGroup>> updates = new Updates<>();
  final List<String> failures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    blocked = BlockedThreadReports.watch();
    vertx = Vertx.vertx();
    server = TestDnsServer.start();
    registry = new SimpleMeterRegistry();
    dns =
        new DnsDiscovery(
            vertx, new InetSocketAddress("127.0.0.1", server.port()), "/nonexistent", registry);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (provider != null) {
      await(stop(provider));
    }
    await(vertx.close());
    server.close();
    blocked.close();
    assertEquals(List.of(), blocked.reports(), "no event loop was blocked");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Starts a provider on an event-loop context, as the discovery manager does. */
  private void start(DnsSdConfig config) {
    provider = dns.provider("job1", config);
    vertx.getOrCreateContext().runOnContext(v -> provider.start(updates, failures::add));
  }

  private Future<Void> stop(DiscoveryProvider p) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> p.stop().onComplete(done));
    return done.future();
  }

  private static DnsSdConfig config(String type, int port, Duration refresh, String... names) {
    return new DnsSdConfig(List.of(names), type, port, refresh);
  }

  private static TargetGroup group(String name, Labels... targets) {
    return new TargetGroup(name, List.of(targets), Labels.EMPTY);
  }

  static Stream<Arguments> recordTypes() {
    return Stream.of(
        Arguments.of(
            named("A: each address with the configured port", "A"),
            9100,
            "web.test.",
            new Rr[] {a("10.0.0.1"), a("10.0.0.2")},
            List.of(
                Labels.of("__address__", "10.0.0.1:9100", "__meta_dns_name", "web.test"),
                Labels.of("__address__", "10.0.0.2:9100", "__meta_dns_name", "web.test"))),
        Arguments.of(
            named("A: a CNAME in the answer is skipped", "A"),
            80,
            "web.test.",
            new Rr[] {cname("real.test."), a("10.0.0.3")},
            List.of(Labels.of("__address__", "10.0.0.3:80", "__meta_dns_name", "web.test"))),
        Arguments.of(
            named("AAAA: addresses in brackets, in Go's short form", "AAAA"),
            9100,
            "web.test.",
            new Rr[] {aaaa("::1"), aaaa("2001:db8:0:0:0:0:0:ab")},
            List.of(
                Labels.of("__address__", "[::1]:9100", "__meta_dns_name", "web.test"),
                Labels.of("__address__", "[2001:db8::ab]:9100", "__meta_dns_name", "web.test"))),
        Arguments.of(
            named("SRV: port from the record, target without the final dot", "SRV"),
            0,
            "_metrics._tcp.web.test.",
            new Rr[] {srv(10, 5, 8080, "node1.test.")},
            List.of(
                Labels.of(
                    "__address__", "node1.test:8080",
                    "__meta_dns_name", "_metrics._tcp.web.test",
                    "__meta_dns_srv_record_target", "node1.test.",
                    "__meta_dns_srv_record_port", "8080"))),
        Arguments.of(
            named("MX: exchange with the configured port", "MX"),
            25,
            "web.test.",
            new Rr[] {mx(10, "mail.test.")},
            List.of(
                Labels.of(
                    "__address__", "mail.test:25",
                    "__meta_dns_name", "web.test",
                    "__meta_dns_mx_record_target", "mail.test."))),
        Arguments.of(
            named("NS: name server with the configured port", "NS"),
            9153,
            "web.test.",
            new Rr[] {ns("ns1.test.")},
            List.of(
                Labels.of(
                    "__address__", "ns1.test:9153",
                    "__meta_dns_name", "web.test",
                    "__meta_dns_ns_record_target", "ns1.test."))));
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void recordsBecomeTargets(String type, int port, String owner, Rr[] records, List<Labels> want)
      throws Exception {
    server.answer(owner, type, records);
    String name = owner.substring(0, owner.length() - 1);
    start(config(type, port, Duration.ofMinutes(1), name));
    assertEquals(
        List.of(group(name, want.toArray(Labels[]::new))), updates.awaitLast(g -> true, WAIT));
    assertEquals(List.of(owner + " " + type), server.questions());
  }

  @Test
  void refreshPicksUpChangedAnswers() throws Exception {
    server.answer("web.test.", "A", a("10.0.0.1"));
    start(config("A", 80, Duration.ofMillis(100), "web.test"));
    updates.awaitLast(g -> g.equals(List.of(group("web.test", target("10.0.0.1:80")))), WAIT);
    server.answer("web.test.", "A", a("10.0.0.1"), a("10.0.0.2"));
    updates.awaitLast(
        g -> g.equals(List.of(group("web.test", target("10.0.0.1:80"), target("10.0.0.2:80")))),
        WAIT);
    // A name that no longer exists has an empty group, so its targets go away.
    server.remove("web.test.", "A");
    updates.awaitLast(g -> g.equals(List.of(group("web.test"))), WAIT);
  }

  private static Labels target(String address) {
    return Labels.of("__address__", address, "__meta_dns_name", "web.test");
  }

  @Test
  void aFailingNameDoesNotAffectTheOthers() throws Exception {
    server.answer("web.test.", "A", a("10.0.0.1"));
    server.rcode("broken.test.", "A", TestDnsServer.SERVFAIL);
    server.silent("slow.test.", "A");
    start(config("A", 80, Duration.ofMillis(300), "broken.test", "web.test", "slow.test"));
    assertEquals(
        List.of(group("web.test", target("10.0.0.1:80"))), updates.awaitLast(g -> true, WAIT));
    server.answer("web.test.", "A", a("10.0.0.2"));
    updates.awaitLast(g -> g.equals(List.of(group("web.test", target("10.0.0.2:80")))), WAIT);
    awaitTrue(() -> failures.stream().anyMatch(f -> f.contains("\"slow.test\"")));
    String broken = failures.stream().filter(f -> f.contains("broken.test")).findFirst().get();
    assertTrue(
        broken.startsWith(
            "job \"job1\" dns_sd: error refreshing DNS targets of name \"broken.test\""),
        broken);
    assertTrue(broken.contains("SERVFAIL"), broken);
    String slow = failures.stream().filter(f -> f.contains("slow.test")).findFirst().get();
    assertTrue(slow.contains("DNS query timeout"), slow);
    double lookups = registry.get("quarry.sd.dns.lookups").counter().count();
    double failed = registry.get("quarry.sd.dns.lookup.failures").counter().count();
    assertTrue(lookups >= 6, "lookups " + lookups);
    assertTrue(failed >= 4 && failed < lookups, "failures " + failed + " of " + lookups);
  }

  @Test
  void aMalformedAnswerFailsOnlyThatName() throws Exception {
    server.garbage("bad.test.", "SRV");
    server.answer("_m._tcp.good.test.", "SRV", srv(0, 0, 9100, "h.test."));
    start(config("SRV", 0, Duration.ofMinutes(1), "bad.test", "_m._tcp.good.test"));
    List<TargetGroup> groups = updates.awaitLast(g -> true, WAIT);
    assertEquals(1, groups.size(), groups.toString());
    assertEquals("_m._tcp.good.test", groups.get(0).source());
    assertTrue(failures.get(0).contains("\"bad.test\""), failures.get(0));
  }

  @Test
  void aFailedLookupKeepsTheLastGoodTargets() throws Exception {
    server.answer("web.test.", "A", a("10.0.0.1"));
    server.answer("other.test.", "A", a("10.0.0.9"));
    start(config("A", 80, Duration.ofMillis(100), "web.test", "other.test"));
    List<TargetGroup> good = updates.awaitLast(g -> g.size() == 2, WAIT);
    server.rcode("web.test.", "A", TestDnsServer.REFUSED);
    int before = failures.size();
    awaitTrue(() -> failures.size() >= before + 3);
    assertEquals(good, updates.last());
    server.answer("web.test.", "A", a("10.0.0.5"));
    updates.awaitLast(g -> g.get(0).equals(group("web.test", target("10.0.0.5:80"))), WAIT);
  }

  @Test
  void aNameThatNeverResolvedHasNoGroupAndTheFirstReportIsMadeAnyway() throws Exception {
    server.silent("web.test.", "SRV");
    start(config("SRV", 0, Duration.ofMillis(200), "web.test"));
    assertEquals(List.of(), updates.awaitLast(g -> true, WAIT));
    assertTrue(failures.get(0).contains("could not resolve \"web.test\""), failures.get(0));
  }

  @Test
  void namesAreTriedWithTheSearchListAsResolvConfSays() throws Exception {
    // "web" has one label, not more than ndots 1: the search suffixes first, then the name.
    // "a.b" has two: the name first. Every candidate answers NXDOMAIN but the last one.
    server.answer("web.", "A", a("10.0.0.1"));
    server.answer("a.b.two.test.", "A", a("10.0.0.2"));
    dns =
        new DnsDiscovery(
            vertx,
            new ResolvConf(
                List.of(new InetSocketAddress("127.0.0.1", server.port())),
                List.of("one.test", "two.test"),
                1),
            registry);
    start(config("A", 80, Duration.ofMinutes(1), "web", "a.b"));
    updates.awaitLast(g -> g.size() == 2, WAIT);
    List<String> asked = server.questions();
    assertEquals(
        List.of("web.one.test. A", "web.two.test. A", "web. A"),
        asked.stream().filter(q -> q.startsWith("web")).toList());
    assertEquals(
        List.of("a.b. A", "a.b.one.test. A", "a.b.two.test. A"),
        asked.stream().filter(q -> q.startsWith("a.b")).toList());
    assertEquals(
        List.of(
            group("web", Labels.of("__address__", "10.0.0.1:80", "__meta_dns_name", "web")),
            group("a.b", Labels.of("__address__", "10.0.0.2:80", "__meta_dns_name", "a.b"))),
        updates.last());
  }

  @Test
  void aServerThatFailsIsFollowedByTheNext() throws Exception {
    try (TestDnsServer second = TestDnsServer.start()) {
      server.rcode("web.test.", "A", TestDnsServer.SERVFAIL);
      second.answer("web.test.", "A", a("10.0.0.7"));
      dns =
          new DnsDiscovery(
              vertx,
              new ResolvConf(
                  List.of(
                      new InetSocketAddress("127.0.0.1", server.port()),
                      new InetSocketAddress("127.0.0.1", second.port())),
                  List.of(),
                  1),
              registry);
      start(config("A", 80, Duration.ofMinutes(1), "web.test."));
      assertEquals(
          List.of(
              group(
                  "web.test.",
                  Labels.of("__address__", "10.0.0.7:80", "__meta_dns_name", "web.test."))),
          updates.awaitLast(g -> true, WAIT));
      await(stop(provider));
      provider = null;
    }
  }

  @Test
  void anUnreadableResolvConfFailsEachNameAndReportsNothingFound() throws Exception {
    dns = new DnsDiscovery(vertx, (InetSocketAddress) null, "/nonexistent/resolv.conf", null);
    start(config("A", 80, Duration.ofMinutes(1), "web.test"));
    assertEquals(List.of(), updates.awaitLast(g -> true, WAIT));
    assertTrue(failures.get(0).contains("could not load resolv.conf"), failures.get(0));
    assertTrue(server.questions().isEmpty());
  }

  @Test
  void stopEndsAQueryInFlightAndReportsNothingMore() throws Exception {
    server.silent("web.test.", "A");
    start(config("A", 80, Duration.ofMinutes(1), "web.test"));
    awaitTrue(() -> !server.questions().isEmpty());
    long t0 = System.nanoTime();
    await(stop(provider));
    provider = null;
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "stop waited for the query");
    Thread.sleep(300);
    assertEquals(List.of(), updates.seen);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(c.getAsBoolean(), "timed out");
  }
}
