package dev.quarry.discovery;

/** A target group list that cannot be used; the message names the group, field and line. */
final class TargetGroupsException extends Exception {
  TargetGroupsException(String message) {
    super(message);
  }
}
