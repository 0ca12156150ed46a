package dev.quarry.http;

import dev.quarry.config.SigV4Config;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Signs remote-write requests with AWS Signature Version 4 as Prometheus' sigv4 round tripper does:
 * service {@code aps}, the configured (or default-chain) region, every header of the request signed
 * except those AWS' signer leaves out ({@code User-Agent} among them), and the SHA-256 of the body
 * in the canonical request. The signer adds {@code Authorization}, {@code X-Amz-Date} and, with
 * temporary credentials, {@code X-Amz-Security-Token}.
 *
 * <p>Credentials: {@code access_key}/{@code secret_key} when given; else AWS' default chain (system
 * properties, environment, web identity, the {@code profile}'s shared files, container, instance
 * metadata); with {@code role_arn} those credentials assume the role through STS, the role's
 * credentials cached and refreshed by the SDK. Resolving credentials and region may read files or
 * call the network, so it and the signing run on a Vert.x worker thread, never on an event loop; a
 * failure fails that request with a message starting {@code sigv4:}.
 *
 * <p>Thread-safe: the lazily built provider and region are published through volatile fields under
 * {@code this}; the SDK's providers are thread-safe.
 */
public final class SigV4Signer {
  private static final String SERVICE = "aps";

  private final Vertx vertx;
  private final SigV4Config config;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private volatile String region;
  private volatile AwsCredentialsProvider credentials;

  private SigV4Signer(Vertx vertx, SigV4Config config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** A signer for {@code config}, or null when it is null (the requests are not signed). */
  public static SigV4Signer of(Vertx vertx, SigV4Config config) {
    return config == null ? null : new SigV4Signer(vertx, config);
  }

  /**
   * Signs the request that {@code options} (method, absolute URI, headers) describes with {@code
   * body} as its payload, and adds the signature's headers to {@code options}. Completes on the
   * caller's context.
   */
  public Future<RequestOptions> sign(RequestOptions options, byte[] body) {
    SdkHttpRequest.Builder req =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(options.getMethod().name()))
            .uri(
                URI.create(
                    options.getURI().startsWith("/") ? absolute(options) : options.getURI()));
    MultiMap headers = options.getHeaders();
    if (headers != null) {
      for (Map.Entry<String, String> h : headers) {
        req.appendHeader(h.getKey(), h.getValue());
      }
    }
    SdkHttpRequest unsigned = req.build();
    return vertx
        .executeBlocking(() -> signed(unsigned, body), false)
        .map(
            signed -> {
              for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
                if (!h.getKey().equalsIgnoreCase("host")) {
                  options.removeHeader(h.getKey());
                  h.getValue().forEach(v -> options.addHeader(h.getKey(), v));
                }
              }
              return options;
            });
  }

  private SdkHttpRequest signed(SdkHttpRequest unsigned, byte[] body) {
    String r = region();
    AwsCredentialsIdentity identity;
    try {
      identity = provider(r).resolveCredentials();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "sigv4: could not get SigV4 credentials: " + e.getMessage(), e);
    }
    SignedRequest signed =
        signer.sign(
            s ->
                s.identity(identity)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, r));
    return signed.request();
  }

  private String region() {
    String r = region;
    if (r != null) {
      return r;
    }
    synchronized (this) {
      if (region == null) {
        if (config.region() != null) {
          region = config.region();
        } else {
          try {
            DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
            if (config.profile() != null) {
              chain.profileName(config.profile());
            }
            region = chain.build().getRegion().id();
          } catch (RuntimeException e) {
            throw new IllegalStateException(
                "sigv4: region not configured in sigv4 or in default credentials chain", e);
          }
        }
      }
      return region;
    }
  }

  private AwsCredentialsProvider provider(String r) {
    AwsCredentialsProvider p = credentials;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (credentials == null) {
        AwsCredentialsProvider base;
        if (config.accessKey() != null) {
          base =
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        } else {
          DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
          if (config.profile() != null) {
            chain.profileName(config.profile());
          }
          base = chain.build();
        }
        if (config.roleArn() != null) {
          StsClient sts =
              StsClient.builder()
                  .region(Region.of(r))
                  .credentialsProvider(base)
                  .httpClient(UrlConnectionHttpClient.create())
                  .build();
          base =
              StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(sts)
                  .refreshRequest(
                      a ->
                          a.roleArn(config.roleArn())
                              .roleSessionName("quarry-" + System.currentTimeMillis()))
                  .build();
        }
        credentials = base;
      }
      return credentials;
    }
  }

  private static String absolute(RequestOptions o) {
    boolean ssl = Boolean.TRUE.equals(o.isSsl());
    int port = o.getPort() == null ? (ssl ? 443 : 80) : o.getPort();
    return (ssl ? "https://" : "http://") + o.getHost() + ":" + port + o.getURI();
  }
}
