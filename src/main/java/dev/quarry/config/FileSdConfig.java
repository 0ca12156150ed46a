package dev.quarry.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code file_sd_configs}: file paths or globs (relative paths already resolved
 * against the config file's directory), and the re-read interval (default 5m).
 */
public record FileSdConfig(List<String> files, Duration refreshInterval)
    implements ServiceDiscoveryConfig {}
