package dev.quarry.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code dns_sd_configs}, validated as Prometheus does.
 *
 * @param names the names to query, each at least once, in config order
 * @param type the record type in upper case: one of {@link #TYPES} (default {@code SRV})
 * @param port the port of every target for types other than {@code SRV} (SRV records carry their
 *     own); 0 for SRV when unset
 * @param refreshInterval how often the names are queried again (default 30s)
 */
public record DnsSdConfig(List<String> names, String type, int port, Duration refreshInterval)
    implements ServiceDiscoveryConfig {

  /** The record types Prometheus 3 queries. */
  public static final List<String> TYPES = List.of("SRV", "A", "AAAA", "MX", "NS");
}
