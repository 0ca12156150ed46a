package dev.quarry.web;

import java.util.Locale;

/**
 * Content negotiation of the remote write receiver, with the rules and texts of Prometheus 3:
 * {@code Content-Type} must be {@code application/x-protobuf}, optionally with a {@code proto}
 * parameter naming the message ({@code prometheus.WriteRequest}: 1.0, {@code
 * io.prometheus.write.v2.Request}: 2.0); no header means 1.0. {@code Content-Encoding} must be
 * snappy or absent. Parameters may have spaces around them (RFC 9110); Prometheus reads {@code ";
 * proto=..."} as no parameter, and so as 1.0. Stateless.
 */
final class RemoteWriteContentType {
  static final String MEDIA_TYPE = "application/x-protobuf";
  static final String V1 = "prometheus.WriteRequest";
  static final String V2 = "io.prometheus.write.v2.Request";

  private RemoteWriteContentType() {}

  /** A type or encoding the receiver does not take: answered 415 with the message. */
  static final class UnsupportedException extends Exception {
    UnsupportedException(String message) {
      super(message, null, false, false);
    }
  }

  /** True for a 2.0 request, false for 1.0. */
  static boolean isV2(String contentType) throws UnsupportedException {
    String ct = contentType == null || contentType.isBlank() ? MEDIA_TYPE : contentType.trim();
    String[] parts = ct.split(";", -1);
    if (!parts[0].trim().equals(MEDIA_TYPE)) {
      throw new UnsupportedException(
          "expected " + MEDIA_TYPE + " as the first (media) part, got " + ct + " content-type");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] pair = parts[i].split("=", -1);
      if (pair.length != 2) {
        throw new UnsupportedException(
            "as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be"
                + " key-values, got "
                + parts[i]
                + " in "
                + ct
                + " content-type");
      }
      if (pair[0].trim().equals("proto")) {
        String msg = pair[1].trim();
        if (msg.equals(V1)) {
          return false;
        }
        if (msg.equals(V2)) {
          return true;
        }
        throw new UnsupportedException(
            "got "
                + ct
                + " content type; unknown type for remote write protobuf message "
                + msg
                + ", supported: "
                + V1
                + ", "
                + V2);
      }
    }
    return false;
  }

  /** Accepts snappy (any case) or no encoding. */
  static void checkEncoding(String encoding) throws UnsupportedException {
    if (encoding != null
        && !encoding.isEmpty()
        && !encoding.toLowerCase(Locale.ROOT).equals("snappy")) {
      throw new UnsupportedException(
          encoding
              + " encoding (compression) is not accepted by this server; only snappy is"
              + " acceptable");
    }
  }
}
