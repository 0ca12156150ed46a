package dev.quarry.discovery;

import dev.quarry.model.Labels;
import java.util.List;

/**
 * A set of targets with labels common to them, as a discovery mechanism reports it.
 *
 * @param source a stable identifier of the group within its provider (e.g. {@code file.json:0}); an
 *     update with the same source replaces the earlier group
 * @param targets one label set per target, each holding at least {@code __address__}
 * @param labels labels common to every target of the group (may include {@code __meta_*})
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {}
