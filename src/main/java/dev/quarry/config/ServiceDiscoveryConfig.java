package dev.quarry.config;

/** One service-discovery mechanism of a scrape config. */
public sealed interface ServiceDiscoveryConfig
    permits StaticConfig, FileSdConfig, HttpSdConfig, KubernetesSdConfig, DnsSdConfig {}
