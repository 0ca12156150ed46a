package dev.quarry.config;

/**
 * {@code remote_write.sigv4}: AWS Signature Version 4 for the remote-write requests. Every field is
 * null when unset: without {@code accessKey}/{@code secretKey} (always set together) the profile
 * named by {@code profile}, else AWS' default credential chain, supplies the credentials; {@code
 * roleArn} makes those credentials assume that role through STS; without {@code region} the default
 * region chain (environment, profile) decides.
 */
public record SigV4Config(
    String region, String accessKey, String secretKey, String profile, String roleArn) {

  /** Leaves the secret key out, so a logged config never shows it. */
  @Override
  public String toString() {
    return "SigV4Config[region="
        + region
        + ", accessKey="
        + accessKey
        + ", profile="
        + profile
        + ", roleArn="
        + roleArn
        + "]";
  }
}
