package dev.quarry.config;

import java.time.Duration;

/** One entry of {@code http_sd_configs}: the URL polled every refresh interval (default 60s). */
public record HttpSdConfig(String url, Duration refreshInterval, HttpClientConfig httpClient)
    implements ServiceDiscoveryConfig {}
