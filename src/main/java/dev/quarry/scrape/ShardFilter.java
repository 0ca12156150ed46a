package dev.quarry.scrape;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Horizontal sharding without a coordinator: of {@code count} replicas, this one (index {@code
 * index}) keeps the targets whose shard — the MD5 of {@code __address__}, its last 8 bytes read
 * big-endian, modulo {@code count}, exactly as a {@code hashmod} relabel rule computes it — is its
 * own or one of the {@code replication - 1} shards before it. So every target is scraped by {@code
 * replication} consecutive replicas, and N replicas remote-writing to one backend scrape each
 * target exactly once (replication 1). Immutable and thread-safe.
 */
public final class ShardFilter {
  /** Keeps everything: one replica. */
  public static final ShardFilter NONE = new ShardFilter(1, 0, 1);

  private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)$");

  private final int count;
  private final int index;
  private final int replication;

  public ShardFilter(int count, int index, int replication) {
    if (count < 1) {
      throw new IllegalArgumentException("quarry.shard.count must be at least 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "quarry.shard.index must be in [0, " + count + "), got " + index);
    }
    if (replication < 1 || replication > count) {
      throw new IllegalArgumentException(
          "quarry.shard.replication must be in [1, " + count + "], got " + replication);
    }
    this.count = count;
    this.index = index;
    this.replication = replication;
  }

  /**
   * The index from {@code explicitIndex} when set, else from a StatefulSet pod name ending in
   * {@code -<ordinal>} (for example {@code quarry-2}).
   */
  public static int indexOf(String explicitIndex, String podName, int count) {
    if (explicitIndex != null && !explicitIndex.isBlank()) {
      return Integer.parseInt(explicitIndex.trim());
    }
    if (count == 1) {
      return 0;
    }
    Matcher m = ORDINAL.matcher(podName == null ? "" : podName);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "quarry.shard.count is "
              + count
              + " but neither quarry.shard.index is set nor does the"
              + " pod name \""
              + podName
              + "\" end in -<ordinal>");
    }
    return Integer.parseInt(m.group(1)) % count;
  }

  /** The shard of an address, as {@code hashmod} with modulus {@code count} computes it. */
  public static long shardOf(String address, int count) {
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5").digest(address.getBytes(StandardCharsets.UTF_8));
      long h = ByteBuffer.wrap(md5, 8, 8).getLong();
      return Long.remainderUnsigned(h, count);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean keep(Target t) {
    return keepAddress(t.labels().get(TargetBuilder.ADDRESS));
  }

  boolean keepAddress(String address) {
    if (count == 1) {
      return true;
    }
    long shard = shardOf(address, count);
    long distance = Math.floorMod(index - shard, (long) count);
    return distance < replication;
  }

  @Override
  public String toString() {
    return "shard " + index + " of " + count + " (replication " + replication + ")";
  }
}
