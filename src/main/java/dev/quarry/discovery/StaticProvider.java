package dev.quarry.discovery;

import dev.quarry.config.StaticConfig;
import dev.quarry.model.Labels;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code static_configs} of one job: one group per entry, with source {@code "0"}, {@code "1"},
 * ... by position, each target as {@code {__address__="<target>"}} and the entry's labels as group
 * labels. Reports once, synchronously from {@link #start}.
 */
final class StaticProvider implements DiscoveryProvider {
  private final List<TargetGroup> groups;

  StaticProvider(List<StaticConfig> configs) {
    List<TargetGroup> out = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      StaticConfig c = configs.get(i);
      List<Labels> targets = new ArrayList<>();
      for (String addr : c.targets() == null ? List.<String>of() : c.targets()) {
        targets.add(Labels.of("__address__", addr));
      }
      out.add(
          new TargetGroup(
              Integer.toString(i),
              List.copyOf(targets),
              c.labels() == null ? Labels.EMPTY : c.labels()));
    }
    this.groups = List.copyOf(out);
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    updates.accept(groups);
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
