package dev.quarry.storage.file;

import java.security.SecureRandom;

/**
 * Block names: a ULID (48-bit millisecond time, 80 random bits, Crockford base32), so directory
 * names sort by creation time, like Prometheus' block directories.
 */
final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  static String next(long millis) {
    byte[] rnd = new byte[10];
    RANDOM.nextBytes(rnd);
    char[] out = new char[26];
    long time = millis & 0xFFFFFFFFFFFFL;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 base32 digits
    long hi =
        ((rnd[0] & 0xFFL) << 32)
            | ((rnd[1] & 0xFFL) << 24)
            | ((rnd[2] & 0xFFL) << 16)
            | ((rnd[3] & 0xFFL) << 8)
            | (rnd[4] & 0xFFL);
    long lo =
        ((rnd[5] & 0xFFL) << 32)
            | ((rnd[6] & 0xFFL) << 24)
            | ((rnd[7] & 0xFFL) << 16)
            | ((rnd[8] & 0xFFL) << 8)
            | (rnd[9] & 0xFFL);
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }

  static boolean looksLike(String name) {
    if (name.length() != 26) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (new String(ALPHABET).indexOf(name.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
