package dev.quarry.relabel;

/** Checks a relabel rule the way Prometheus does when it loads a config. */
final class RelabelValidation {
  private RelabelValidation() {}

  static void validate(RelabelConfig c) {
    // filled in by the relabel implementation
  }
}
