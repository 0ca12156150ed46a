package dev.quarry.web;

import dev.quarry.config.SettingConverters.DurationSetting;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of Quarry's own HTTP server ({@code quarry.web.*}, {@code QUARRY_WEB_*}): whether the
 * lifecycle endpoints answer, and the Prometheus-format web configuration file (TLS, basic auth,
 * response headers). Immutable once read at start-up.
 */
@ConfigMapping(prefix = "quarry.web")
public interface WebSettings {
  /**
   * {@code POST}/{@code PUT /-/reload} and {@code /-/quit} work only when true ({@code
   * QUARRY_WEB_ENABLE_LIFECYCLE}), as Prometheus' {@code --web.enable-lifecycle}.
   */
  @WithName("enable-lifecycle")
  @WithDefault("false")
  boolean enableLifecycle();

  /**
   * Prometheus' web configuration file ({@code QUARRY_WEB_CONFIG_FILE}, as {@code
   * --web.config.file}): {@code tls_server_config}, {@code basic_auth_users}, {@code
   * http_server_config}. Unset: plain HTTP, no authentication.
   */
  @WithName("config-file")
  Optional<String> configFile();

  /** How often the web configuration file and the files it names are checked for changes. */
  @WithName("config-check-interval")
  @WithDefault("5s")
  @WithConverter(DurationSetting.class)
  Duration configCheckInterval();
}
