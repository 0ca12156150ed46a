package dev.quarry.remote;

import dev.quarry.config.MetadataConfig;
import dev.quarry.storage.Metadata;
import dev.quarry.util.SerialScheduler;
import dev.quarry.util.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Sends the metadata of every metric family seen in the WAL, every {@code send_interval} (at least
 * 1 s) with {@code metadata_config.send}, in requests of at most {@code max_samples_per_send}
 * entries sorted by family; a request not accepted is not retried (the next round sends it again).
 * The WAL follower's thread adds families through {@link #put}, into a concurrent map; the rounds
 * run on the scheduler the queue hands in (production: a thread of the queue's own; tests: time
 * they advance by hand), one at a time, each setting the next when it ends.
 */
final class MetadataSender {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);

  private final String displayName;
  private final MetadataConfig config;
  private final HttpSender http;
  private final RemoteMetrics metrics;
  private final Map<String, Metadata> families = new ConcurrentHashMap<>();
  private final SnappyBlock snappy = new SnappyBlock(); // the sending thread's
  private final SerialScheduler scheduler;
  private volatile boolean running = true;
  private volatile Timer.Pending next;
  private volatile Thread sending; // the thread of the round in progress, or null

  /** {@code scheduler}: where the rounds run; the sender shuts it down when it stops. */
  MetadataSender(
      String displayName,
      MetadataConfig config,
      HttpSender http,
      RemoteMetrics metrics,
      SerialScheduler scheduler) {
    this.displayName = displayName;
    this.config = config;
    this.http = http;
    this.metrics = metrics;
    this.scheduler = scheduler;
  }

  /** Records the metadata of the family of series {@code name}. */
  void put(String name, Metadata metadata) {
    families.put(familyName(name, metadata.type()), metadata);
  }

  void start() {
    if (config.send()) {
      scheduleNext();
    }
  }

  /** The next round, {@code send_interval} (at least 1 s) after the end of the last one. */
  private void scheduleNext() {
    next = scheduler.schedule(Math.max(1000, config.sendInterval().toMillis()), this::round);
  }

  private void round() {
    if (!running) {
      return;
    }
    sending = Thread.currentThread();
    try {
      sendAll();
    } finally {
      sending = null;
    }
    if (running) {
      scheduleNext();
    }
  }

  /** Stops sending, interrupting a round in progress, and shuts the scheduler down. */
  void stop() {
    running = false;
    Timer.Pending n = next;
    if (n != null) {
      n.cancel();
    }
    Thread t = sending;
    if (t != null) {
      t.interrupt();
    }
    scheduler.shutdown();
  }

  private void sendAll() {
    try {
      List<Map.Entry<String, Metadata>> all = new ArrayList<>(families.entrySet());
      all.sort(Map.Entry.comparingByKey());
      int per = Math.max(1, config.maxSamplesPerSend());
      WriteRequestEncoder enc = new WriteRequestEncoder();
      for (int i = 0; i < all.size() && running; i += per) {
        enc.reset();
        int end = Math.min(all.size(), i + per);
        for (int j = i; j < end; j++) {
          enc.addMetadata(all.get(j).getKey(), all.get(j).getValue());
        }
        byte[] body = snappy.compress(enc.array(), enc.length());
        if (attemptOnce(body)) {
          metrics.metadataSent.increment(end - i);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warnf("remote write %s: sending metadata failed: %s", displayName, e.toString());
    }
  }

  private boolean attemptOnce(byte[] body) throws InterruptedException {
    HttpSender.Result r = http.send(body);
    if (r.ok()) {
      metrics.bytesSent.increment(body.length);
      return true;
    }
    LOG.debugf(
        "remote write %s: metadata not accepted (%d): %s", displayName, r.status(), r.message());
    return false;
  }

  /**
   * The metric family of a series name given its type: the name without the suffixes the type's
   * samples carry ({@code _total} of counters; {@code _bucket}, {@code _sum}, {@code _count} of
   * histograms and summaries; {@code _info} of info metrics is part of the name).
   */
  static String familyName(String name, String type) {
    if (name == null) {
      return "";
    }
    String t = type == null ? "" : type;
    List<String> suffixes =
        switch (t) {
          case "counter" -> List.of("_total");
          case "histogram", "gaugehistogram" ->
              List.of("_bucket", "_sum", "_count", "_gsum", "_gcount");
          case "summary" -> List.of("_sum", "_count");
          default -> List.of();
        };
    for (String s : suffixes) {
      if (name.endsWith(s) && name.length() > s.length()) {
        return name.substring(0, name.length() - s.length());
      }
    }
    return name;
  }
}
