package dev.quarry.relabel;

/** The relabel actions Prometheus has, with their names as written in YAML. */
public enum RelabelAction {
  REPLACE("replace"),
  KEEP("keep"),
  DROP("drop"),
  KEEPEQUAL("keepequal"),
  DROPEQUAL("dropequal"),
  HASHMOD("hashmod"),
  LABELMAP("labelmap"),
  LABELDROP("labeldrop"),
  LABELKEEP("labelkeep"),
  LOWERCASE("lowercase"),
  UPPERCASE("uppercase");

  private final String yamlName;

  RelabelAction(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  /** The action for a YAML name (case-insensitive as in Prometheus), or null when unknown. */
  public static RelabelAction fromYaml(String s) {
    for (RelabelAction a : values()) {
      if (a.yamlName.equalsIgnoreCase(s)) {
        return a;
      }
    }
    return null;
  }
}
