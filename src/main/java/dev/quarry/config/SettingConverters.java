package dev.quarry.config;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converters of the {@code quarry.*} settings that are durations or sizes, so a bad value fails the
 * start with the setting's name ({@code quarry.query.timeout: invalid duration "2x"}) instead of
 * surfacing later where it is used. Stateless.
 */
public final class SettingConverters {
  private SettingConverters() {}

  /**
   * A duration in Prometheus' syntax ({@link Durations}): {@code 30s}, {@code 1h30m}, {@code 0}.
   */
  public static final class DurationSetting implements Converter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      try {
        return Durations.parse(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid duration \"" + v + "\"", e);
      }
    }
  }

  /** A size with a unit ({@link Sizes}): {@code 0}, {@code 512MB}, {@code 2GB}. */
  public static final class SizeSetting implements Converter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim();
      try {
        return Sizes.parse(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid size \"" + v + "\": " + e.getMessage(), e);
      }
    }
  }
}
