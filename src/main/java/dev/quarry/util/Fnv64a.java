package dev.quarry.util;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit FNV-1a hash, as Go's {@code hash/fnv} {@code New64a}: start from {@link #OFFSET} and
 * fold in one byte at a time. Stateless; the running hash is a plain {@code long}, so a caller can
 * mix bytes, longs and strings in the order its format needs.
 */
public final class Fnv64a {
  /** The hash of no bytes. */
  public static final long OFFSET = 0xcbf29ce484222325L;

  private static final long PRIME = 0x100000001b3L;

  private Fnv64a() {}

  /** {@code h} with the low 8 bits of {@code b} folded in. */
  public static long add(long h, int b) {
    return (h ^ (b & 0xff)) * PRIME;
  }

  /** {@code h} with {@code bytes} folded in, in order. */
  public static long add(long h, byte[] bytes) {
    for (byte b : bytes) {
      h = add(h, b);
    }
    return h;
  }

  /** {@code h} with the 8 bytes of {@code v} folded in, least significant first. */
  public static long addLong(long h, long v) {
    for (int i = 0; i < 8; i++) {
      h = add(h, (int) (v >>> (8 * i)));
    }
    return h;
  }

  /** The hash of {@code s} in UTF-8. */
  public static long hash(String s) {
    return add(OFFSET, s.getBytes(StandardCharsets.UTF_8));
  }
}
