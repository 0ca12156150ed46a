package dev.quarry.storage.file;

/** Stored bytes that do not decode: a torn write, a flipped bit, or a foreign file. */
public final class CorruptDataException extends RuntimeException {
  public CorruptDataException(String message) {
    super(message);
  }
}
