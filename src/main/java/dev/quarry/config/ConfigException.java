package dev.quarry.config;

/**
 * An invalid scrape configuration. The message is one line: {@code FILE:LINE: key.path: reason},
 * for example {@code prometheus.yml:14: scrape_configs[2].relabel_configs[0].regex: …}.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
