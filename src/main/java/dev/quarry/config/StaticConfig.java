package dev.quarry.config;

import dev.quarry.model.Labels;
import java.util.List;

/** One entry of {@code static_configs}: target addresses and labels common to them. */
public record StaticConfig(List<String> targets, Labels labels) implements ServiceDiscoveryConfig {}
