package dev.quarry.testing;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed EC certificates for {@code localhost} and {@code 127.0.0.1}, made with the JDK's
 * {@code keytool} when a test runs (nothing to expire in the repository), written as the PEM files
 * a web configuration file names, plus HTTP clients that trust them.
 */
public final class TestCerts {
  private static final char[] PASS = "changeit".toCharArray();

  /** One certificate: its PKCS#12 store and PEM files. */
  public record Cert(Path p12, Path certPem, Path keyPem) {}

  private TestCerts() {}

  /** Makes {@code dir/name.p12}, {@code dir/name.crt} and {@code dir/name.key}. */
  public static Cert create(Path dir, String name) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    Files.deleteIfExists(p12);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "a",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                new String(PASS),
                "-keypass",
                new String(PASS))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = load(p12);
    Certificate cert = ks.getCertificate("a");
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Files.writeString(crt, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("a", PASS).getEncoded()));
    return new Cert(p12, crt, key);
  }

  private static KeyStore load(Path p12) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASS);
    }
    return ks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * A fresh client (own SSL context, so no session is resumed) trusting {@code server}, showing
   * {@code client}'s certificate when it is not null.
   */
  public static HttpClient client(Cert server, Cert client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", load(server.p12()).getCertificate("a"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(client.p12()), PASS);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
  }
}
