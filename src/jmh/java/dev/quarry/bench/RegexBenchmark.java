package dev.quarry.bench;

import dev.quarry.relabel.Re2Pattern;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Re2Pattern} on the shapes relabel rules and query matchers use most, over 16 metric names
 * (reported per name): an alternation of literals (a set lookup), a prefix {@code foo.*}, a regex
 * with a capture group read back ({@code replace}), and a regex with no fast path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegexBenchmark {
  static final String[] NAMES = {
    "go_gc_duration_seconds",
    "go_goroutines",
    "process_cpu_seconds_total",
    "up",
    "node_cpu_seconds_total",
    "node_memory_MemFree_bytes",
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "scrape_duration_seconds",
    "go_memstats_alloc_bytes",
    "node_network_receive_bytes_total",
    "apiserver_request_total",
    "kube_pod_info",
    "container_cpu_usage_seconds_total",
    "node_filesystem_avail_bytes",
    "prometheus_build_info"
  };
  static final String[] ADDRESSES = {
    "10.1.2.3:9100", "node-17.example.internal:9100", "127.0.0.1:8080", "[::1]:9090"
  };

  final Re2Pattern alternation =
      Re2Pattern.compile("up|go_goroutines|process_cpu_seconds_total|kube_pod_info");
  final Re2Pattern prefix = Re2Pattern.compile("go_gc_.*");
  final Re2Pattern capture = Re2Pattern.compile("([^:]+):\\d+");
  final Re2Pattern general = Re2Pattern.compile("(node|http)_.*_(total|bytes)");

  @Benchmark
  @OperationsPerInvocation(16)
  public int literalAlternation() {
    int n = 0;
    for (String s : NAMES) {
      n += alternation.matches(s) ? 1 : 0;
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(16)
  public int prefix() {
    int n = 0;
    for (String s : NAMES) {
      n += prefix.matches(s) ? 1 : 0;
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(16)
  public int generalRegex() {
    int n = 0;
    for (String s : NAMES) {
      n += general.matches(s) ? 1 : 0;
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(16)
  public int captureGroup() {
    int n = 0;
    for (int i = 0; i < 16; i++) {
      int[] m = capture.match(ADDRESSES[i & 3]);
      n += m == null ? 0 : m[3];
    }
    return n;
  }
}
