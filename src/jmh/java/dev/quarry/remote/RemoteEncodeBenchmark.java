package dev.quarry.remote;

import dev.quarry.bench.Fixtures;
import dev.quarry.model.Labels;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.PromTextParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Remote-write encoding of one scrape of the farm page (1,348 series, one sample each, labels with
 * external labels, each label pre-encoded and shared between series as the queue keeps them): the
 * protobuf {@code WriteRequest} alone, and with the snappy compression a send adds. Reported per
 * sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RemoteEncodeBenchmark {
  static final int SERIES = 1348;

  byte[][][] labels;
  int[] sizes;
  final WriteRequestEncoder encoder = new WriteRequestEncoder();
  final SnappyBlock snappy = new SnappyBlock();
  final long[] ts = new long[1];
  final double[] vs = new double[1];

  @Setup
  public void setUp() throws IOException, ParseException {
    byte[] page = Fixtures.text("farm_payload.prom");
    PromTextParser parser = new PromTextParser();
    List<byte[][]> out = new ArrayList<>();
    java.util.Map<String, byte[]> shared = new java.util.HashMap<>();
    parser.reset(page, 0, page.length);
    for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
      if (e == Entry.SERIES) {
        Labels.Builder b = Labels.builder();
        parser.labels(b);
        b.set("instance", "127.0.0.1:23000").set("job", "farm").set("agent", "quarry");
        Labels l = b.build();
        byte[][] parts = new byte[l.size()][];
        for (int i = 0; i < parts.length; i++) {
          String n = l.name(i);
          String v = l.value(i);
          parts[i] =
              shared.computeIfAbsent(n + "\0" + v, k -> WriteRequestEncoder.encodeLabel(n, v));
        }
        out.add(parts);
      }
    }
    if (out.size() != SERIES) {
      throw new IllegalStateException(
          "farm page has " + out.size() + " series, expected " + SERIES);
    }
    labels = out.toArray(new byte[0][][]);
    sizes = new int[SERIES];
    for (int i = 0; i < SERIES; i++) {
      for (byte[] p : labels[i]) {
        sizes[i] += p.length;
      }
    }
  }

  private int encode() {
    encoder.reset();
    long t = System.currentTimeMillis();
    for (int i = 0; i < SERIES; i++) {
      ts[0] = t;
      vs[0] = i * 1.5;
      encoder.addSeries(labels[i], sizes[i], ts, vs, 0, 1, null, null, null, 0, 0);
    }
    return encoder.length();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int writeRequest() {
    return encode();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int writeRequestSnappy() {
    int n = encode();
    return snappy.compress(encoder.array(), n).length;
  }
}
