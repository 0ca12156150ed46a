package dev.quarry.config;

import dev.quarry.config.SettingConverters.DurationSetting;
import dev.quarry.config.SettingConverters.SizeSetting;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's own settings, from {@code application.yaml} and {@code QUARRY_*} environment
 * variables. The scrape configuration itself lives in Prometheus' format, in {@link #configFile()}.
 * Durations and sizes are converted when the application starts: a bad one fails the start with the
 * setting's name and value ({@link SettingConverters}).
 */
@ConfigMapping(prefix = "quarry")
public interface QuarrySettings {

  /** Path of the Prometheus-format scrape configuration ({@code QUARRY_CONFIG_FILE}). */
  @WithName("config-file")
  @WithDefault("prometheus.yml")
  String configFile();

  /**
   * Whether file-system events in the config's directories trigger a reload ({@code
   * QUARRY_CONFIG_WATCH}); without it, changes are picked up by {@code SIGHUP}, {@code /-/reload}
   * and the periodic check only.
   */
  @WithName("config-watch")
  @WithDefault("true")
  boolean configWatch();

  /** Directory for the WAL and blocks ({@code QUARRY_DATA_DIR}). */
  @WithName("data-dir")
  @WithDefault("data")
  String dataDir();

  /** How often the config file is checked for changes, besides file events and SIGHUP. */
  @WithName("reload-interval")
  @WithDefault("30s")
  @WithConverter(DurationSetting.class)
  Duration reloadInterval();

  /** Scrape engine settings. */
  Scrape scrape();

  /** Storage settings. */
  Storage storage();

  /** Service discovery settings that are not part of prometheus.yml. */
  Discovery discovery();

  interface Discovery {
    Dns dns();

    interface Dns {
      /**
       * The DNS server {@code dns_sd_configs} asks ({@code QUARRY_DISCOVERY_DNS_SERVER}), an IP
       * address with an optional port ({@code 10.0.0.2}, {@code 127.0.0.1:5353}, {@code
       * [::1]:5353}; port 53 when omitted), used instead of {@code /etc/resolv.conf}: names are
       * then asked as written, without its search list. Unset: the name servers, search list and
       * {@code ndots} of {@code /etc/resolv.conf}, read at every refresh, as Prometheus does.
       */
      java.util.Optional<String> server();
    }
  }

  /** Horizontal sharding of targets across replicas. */
  Shard shard();

  /** Reads of the file store through the query API. */
  Query query();

  interface Query {
    /** How far back an instant selector looks for a series' newest sample. */
    @WithName("lookback-delta")
    @WithDefault("5m")
    @WithConverter(DurationSetting.class)
    Duration lookbackDelta();

    /** Most samples one query may hold in memory; more fails it with an execution error. */
    @WithName("max-samples")
    @WithDefault("50000000")
    long maxSamples();

    /** How long one query may run, waiting for a slot included. */
    @WithDefault("2m")
    @WithConverter(DurationSetting.class)
    Duration timeout();

    /** Most queries evaluated at once; later ones wait for a slot. */
    @WithName("max-concurrency")
    @WithDefault("20")
    int maxConcurrency();
  }

  /** Quarry's own HTTP API. */
  Web web();

  interface Web {
    /**
     * Accept remote write requests on {@code POST /api/v1/write} ({@code
     * QUARRY_WEB_ENABLE_REMOTE_WRITE_RECEIVER}); server mode only.
     */
    @WithName("enable-remote-write-receiver")
    @WithDefault("false")
    boolean enableRemoteWriteReceiver();
  }

  /** Remote write settings that are not part of prometheus.yml. */
  @WithName("remote-write")
  RemoteWrite remoteWrite();

  interface RemoteWrite {
    /**
     * Most WAL bytes kept unsent for one remote while its receiver is unreachable ({@code
     * QUARRY_REMOTE_WRITE_MAX_BACKLOG}); beyond it the oldest samples are dropped and counted. 0
     * keeps everything.
     */
    @WithName("max-backlog")
    @WithDefault("2GB")
    @WithConverter(SizeSetting.class)
    long maxBacklog();
  }

  interface Shard {
    /** Number of replicas sharing the targets ({@code QUARRY_SHARD_COUNT}). */
    @WithDefault("1")
    int count();

    /**
     * This replica's index ({@code QUARRY_SHARD_INDEX}); when unset, the StatefulSet ordinal at the
     * end of {@code quarry.shard.pod-name}.
     */
    Optional<String> index();

    /** The pod name to take the ordinal from ({@code QUARRY_SHARD_POD_NAME}, else HOSTNAME). */
    @WithName("pod-name")
    Optional<String> podName();

    /** On how many replicas each target is scraped ({@code QUARRY_SHARD_REPLICATION}). */
    @WithDefault("1")
    int replication();
  }

  interface Storage {
    /**
     * {@code server}: the file store with blocks and reads (default); {@code agent}: WAL only, like
     * Prometheus' agent mode; {@code memory}: nothing on disk (tests and trials).
     */
    @WithDefault("server")
    @WithConverter(StorageMode.SettingConverter.class)
    StorageMode mode();

    Retention retention();

    Wal wal();

    /** How often block cuts and retention run. */
    @WithName("housekeeping-interval")
    @WithDefault("1m")
    @WithConverter(DurationSetting.class)
    Duration housekeepingInterval();

    /** Time span of one block cut from the head. */
    @WithName("block-range")
    @WithDefault("2h")
    @WithConverter(DurationSetting.class)
    Duration blockRange();

    interface Retention {
      /** Blocks older than this are deleted ({@code QUARRY_STORAGE_RETENTION_TIME}). */
      @WithDefault("15d")
      @WithConverter(DurationSetting.class)
      Duration time();

      /** Oldest blocks are deleted while the store is larger (e.g. {@code 10GB}; 0 = no limit). */
      @WithDefault("0")
      @WithConverter(SizeSetting.class)
      long size();
    }

    interface Wal {
      /** {@code every-commit}, or an interval such as {@code 1s} between fsyncs. */
      @WithDefault("1s")
      String sync();
    }
  }

  interface Scrape {
    /** Adds scrape_timeout_seconds, scrape_sample_limit, scrape_body_size_bytes. */
    @WithName("extra-metrics")
    @WithDefault("false")
    boolean extraMetrics();

    /**
     * Most connections the scrapes of one job open to one host:port ({@code
     * QUARRY_SCRAPE_MAX_CONNECTIONS_PER_HOST}); scrapes beyond it wait for a free connection within
     * their timeout. Generous, as Prometheus does not limit them at all.
     */
    @WithName("max-connections-per-host")
    @WithDefault("1000")
    int maxConnectionsPerHost();

    /**
     * Most bytes of idle scrape buffers kept for reuse ({@code
     * QUARRY_SCRAPE_BUFFER_POOL_MAX_BYTES}, e.g. {@code 64MB}); unset: an eighth of the heap.
     */
    @WithName("buffer-pool-max-bytes")
    Optional<@WithConverter(SizeSetting.class) Long> bufferPoolMaxBytes();

    /**
     * Largest body one scrape may hold, decompressed ({@code QUARRY_SCRAPE_MAX_BODY_BYTES}); larger
     * ones fail with {@code body size limit exceeded} even without {@code body_size_limit}. Unset:
     * a quarter of the heap, at most 2 GiB.
     */
    @WithName("max-body-bytes")
    Optional<@WithConverter(SizeSetting.class) Long> maxBodyBytes();
  }
}
