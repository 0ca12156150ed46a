package dev.quarry.config;

import java.time.Duration;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converters of the {@code quarry.*} settings that are durations or sizes, so a bad value fails the
 * start with the setting's name ({@code quarry.query.timeout: invalid duration "2x"}) instead of
 * surfacing later where it is used. Stateless.
 */
public final class SettingConverters {
  private SettingConverters() {}

  /**
   * The setting's trimmed text read by {@code parse}; a value it refuses fails as {@code invalid
   * <kind> "<value>"}, followed by the parser's reason where {@code withReason}. One reading for
   * every converter here (each is its own {@link Converter} class, as the configuration mapping
   * requires).
   */
  static <T> T parse(String kind, String value, Function<String, T> parse, boolean withReason) {
    String v = value.trim();
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      String reason = withReason ? ": " + e.getMessage() : "";
      throw new IllegalArgumentException("invalid " + kind + " \"" + v + "\"" + reason, e);
    }
  }

  /**
   * A duration in Prometheus' syntax ({@link Durations}): {@code 30s}, {@code 1h30m}, {@code 0}.
   */
  public static final class DurationSetting implements Converter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse("duration", value, Durations::parse, false);
    }
  }

  /** A size with a unit ({@link Sizes}): {@code 0}, {@code 512MB}, {@code 2GB}. */
  public static final class SizeSetting implements Converter<Long> {
    @Override
    public Long convert(String value) {
      return parse("size", value, Sizes::parse, true);
    }
  }
}
