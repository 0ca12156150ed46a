package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.SigV4Config;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.http.SigV4Signer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write with {@code sigv4} to a receiver of the test's own: the signature of the request as
 * received is recomputed here from AWS' Signature Version 4 definition (canonical request, string
 * to sign, HMAC-SHA256 key chain) with javax.crypto, independently of the signer.
 */
class SigV4SenderTest {
  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

  @TempDir Path dir;
  Vertx vertx;
  Vertx serverVertx;
  HttpServer receiver;

  /** One request as the receiver got it. */
  record Received(String method, String path, String query, MultiMap headers, byte[] body) {}

  final AtomicReference<Received> received = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    serverVertx = Vertx.vertx();
    receiver =
        await(
            serverVertx
                .createHttpServer()
                .requestHandler(
                    r ->
                        r.body()
                            .onSuccess(
                                b -> {
                                  received.set(
                                      new Received(
                                          r.method().name(),
                                          r.path(),
                                          r.query(),
                                          MultiMap.caseInsensitiveMultiMap().addAll(r.headers()),
                                          b.getBytes()));
                                  r.response().setStatusCode(204).end();
                                }))
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    await(serverVertx.close());
    for (String p :
        new String[] {
          "aws.accessKeyId",
          "aws.secretAccessKey",
          "aws.sessionToken",
          "aws.sharedCredentialsFile",
          "aws.configFile",
          "aws.disableEc2Metadata"
        }) {
      System.clearProperty(p);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + receiver.actualPort() + "/workspaces/ws-1/api/v1/remote_write";
  }

  HttpSender.Result send(SigV4Config sigv4, byte[] body) throws Exception {
    HttpSender sender =
        new HttpSender(
            vertx,
            new HttpClientFactory(vertx).create("remote_write t", HttpClientConfig.DEFAULT),
            url(),
            Map.of("X-Scope-OrgID", "tenant"),
            "Quarry/test",
            Duration.ofSeconds(20),
            SigV4Signer.of(vertx, sigv4));
    try {
      return sender.send(body);
    } finally {
      sender.close();
    }
  }

  @Test
  void staticKeysSignThePostForApsAsTheSignatureDefinitionSays() throws Exception {
    byte[] body = HttpSender.compress("a write request".getBytes(), 15);
    HttpSender.Result r =
        send(new SigV4Config("eu-west-2", ACCESS_KEY, SECRET_KEY, null, null), body);
    assertTrue(r.ok(), r.toString());
    Received got = received.get();
    Matcher m = AUTH.matcher(got.headers().get("Authorization"));
    assertTrue(m.matches(), got.headers().get("Authorization"));
    assertEquals(ACCESS_KEY, m.group(1));
    assertEquals("eu-west-2", m.group(3));
    assertEquals("aps", m.group(4));
    String signedHeaders = m.group(5);
    for (String h :
        new String[] {
          "content-encoding",
          "content-type",
          "host",
          "x-amz-date",
          "x-prometheus-remote-write-version",
          "x-scope-orgid"
        }) {
      assertTrue((";" + signedHeaders + ";").contains(";" + h + ";"), signedHeaders);
    }
    assertFalse(signedHeaders.contains("user-agent"), signedHeaders);
    assertEquals(m.group(6), expectedSignature(got, SECRET_KEY, m));
    String contentHash = got.headers().get("x-amz-content-sha256");
    if (contentHash != null) {
      assertEquals(hex(sha256(got.body())), contentHash);
    }
    // The check is not vacuous: one byte of the body changed gives another signature.
    byte[] tampered = got.body().clone();
    tampered[0] ^= 1;
    Received other = new Received(got.method(), got.path(), got.query(), got.headers(), tampered);
    assertNotEquals(m.group(6), expectedSignature(other, SECRET_KEY, m));
  }

  @Test
  void defaultChainCredentialsWithASessionTokenAreSignedWithTheToken() throws Exception {
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.accessKeyId", "ASIATEMP");
    System.setProperty("aws.secretAccessKey", "temp-secret");
    System.setProperty("aws.sessionToken", "the-session-token");
    HttpSender.Result r =
        send(new SigV4Config("us-east-1", null, null, null, null), new byte[] {1});
    assertTrue(r.ok(), r.toString());
    Received got = received.get();
    assertEquals("the-session-token", got.headers().get("X-Amz-Security-Token"));
    Matcher m = AUTH.matcher(got.headers().get("Authorization"));
    assertTrue(m.matches());
    assertEquals("ASIATEMP", m.group(1));
    assertTrue(m.group(5).contains("x-amz-security-token"), m.group(5));
    assertEquals(m.group(6), expectedSignature(got, "temp-secret", m));
  }

  @Test
  void profileNamesTheSharedCredentialsToUse() throws Exception {
    Path creds = dir.resolve("credentials");
    Files.writeString(
        creds,
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
            + "[metrics]\naws_access_key_id = AKIDMETRICS\naws_secret_access_key = m-secret\n");
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.sharedCredentialsFile", creds.toString());
    System.setProperty("aws.configFile", dir.resolve("none").toString());
    HttpSender.Result r =
        send(new SigV4Config("us-east-1", null, null, "metrics", null), new byte[] {2});
    assertTrue(r.ok(), r.toString());
    Matcher m = AUTH.matcher(received.get().headers().get("Authorization"));
    assertTrue(m.matches());
    assertEquals("AKIDMETRICS", m.group(1));
    assertEquals(m.group(6), expectedSignature(received.get(), "m-secret", m));
  }

  @Test
  void missingCredentialsFailTheRequestSayingSo() throws Exception {
    assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null, "AWS credentials in the environment");
    assumeTrue(System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null);
    assumeTrue(System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null);
    assumeTrue(System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null);
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.sharedCredentialsFile", dir.resolve("none").toString());
    System.setProperty("aws.configFile", dir.resolve("none").toString());
    HttpSender.Result r =
        send(new SigV4Config("us-east-1", null, null, null, null), new byte[] {3});
    assertEquals(0, r.status());
    assertTrue(r.message().contains("sigv4: could not get SigV4 credentials: "), r.message());
    assertEquals(null, received.get(), "nothing unsigned was sent");
  }

  /** The signature AWS' SigV4 definition gives for the request as received. */
  static String expectedSignature(Received r, String secret, Matcher auth) throws Exception {
    String date = auth.group(2);
    String region = auth.group(3);
    String service = auth.group(4);
    String[] names = auth.group(5).split(";");
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String n : names) {
      String v = String.join(",", r.headers().getAll(n)).trim().replaceAll(" +", " ");
      canonicalHeaders.append(n.toLowerCase(Locale.ROOT)).append(':').append(v).append('\n');
    }
    String payloadHash = hex(sha256(r.body()));
    String canonicalRequest =
        r.method()
            + "\n"
            + r.path()
            + "\n"
            + (r.query() == null ? "" : r.query())
            + "\n"
            + canonicalHeaders
            + "\n"
            + auth.group(5)
            + "\n"
            + payloadHash;
    String amzDate = r.headers().get("X-Amz-Date");
    assertNotNull(amzDate);
    assertTrue(amzDate.startsWith(date), amzDate);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
