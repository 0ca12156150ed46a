package dev.quarry.web;

import dev.quarry.config.ConfigException;
import dev.quarry.config.WebConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's certificate and the client CAs, read from the PEM files of {@code tls_server_config}
 * and swappable while the server runs: the TLS engine asks these managers on every handshake, so
 * {@link #reload} makes new connections use rotated files without a restart.
 *
 * <p>Thread-safe: the loaded managers are one volatile value; handshakes on any event loop read it.
 */
final class TlsMaterial {
  private record Loaded(X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {}

  private final Vertx vertx;
  private final WebConfig.ClientAuth clientAuth;
  private volatile Loaded loaded;

  TlsMaterial(Vertx vertx, WebConfig.TlsServer tls) {
    this.vertx = vertx;
    this.clientAuth = tls.clientAuth();
    this.loaded = load(tls);
  }

  /** Reads the files again; on an error the previous material stays and the error is thrown. */
  void reload(WebConfig.TlsServer tls) {
    loaded = load(tls);
  }

  private Loaded load(WebConfig.TlsServer tls) {
    X509ExtendedKeyManager keys;
    try {
      KeyManager[] km =
          new PemKeyCertOptions()
              .setCertPath(tls.certFile().toString())
              .setKeyPath(tls.keyFile().toString())
              .getKeyManagerFactory(vertx)
              .getKeyManagers();
      keys = (X509ExtendedKeyManager) km[0];
    } catch (Exception e) {
      throw new ConfigException(
          tls.where()
              + ": cannot load cert_file "
              + tls.certFile()
              + " and key_file "
              + tls.keyFile()
              + ": "
              + describe(e));
    }
    X509ExtendedTrustManager trust = null;
    if (tls.clientCaFile() != null) {
      try {
        TrustManager[] tm =
            new PemTrustOptions()
                .addCertPath(tls.clientCaFile().toString())
                .getTrustManagerFactory(vertx)
                .getTrustManagers();
        trust = (X509ExtendedTrustManager) tm[0];
      } catch (Exception e) {
        throw new ConfigException(
            tls.where()
                + ": cannot load client_ca_file "
                + tls.clientCaFile()
                + ": "
                + describe(e));
      }
    }
    return new Loaded(keys, trust);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The key manager the server is built with; it reads the current material per handshake. */
  X509ExtendedKeyManager keyManager() {
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return loaded.keys().getClientAliases(keyType, issuers);
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return loaded.keys().chooseClientAlias(keyType, issuers, socket);
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return loaded.keys().getServerAliases(keyType, issuers);
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return loaded.keys().chooseServerAlias(keyType, issuers, socket);
      }

      @Override
      public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine e) {
        return loaded.keys().chooseEngineServerAlias(keyType, issuers, e);
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return loaded.keys().getCertificateChain(alias);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return loaded.keys().getPrivateKey(alias);
      }
    };
  }

  /**
   * The trust manager for client certificates: the current CAs when the policy verifies, any
   * certificate when it only asks for one ({@code RequestClientCert}, {@code
   * RequireAnyClientCert}), as Go's TLS server does.
   */
  X509ExtendedTrustManager trustManager() {
    return new X509ExtendedTrustManager() {
      private void check(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        X509ExtendedTrustManager t = loaded.trust();
        if (!clientAuth.verified) {
          return;
        }
        if (t == null) {
          throw new CertificateException("no client_ca_file to verify client certificates");
        }
        if (engine == null) {
          t.checkClientTrusted(chain, authType);
        } else {
          t.checkClientTrusted(chain, authType, engine);
        }
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        check(chain, authType, engine);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        check(chain, authType, null);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        check(chain, authType, null);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        throw new CertificateException("not a client");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        throw new CertificateException("not a client");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("not a client");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        X509ExtendedTrustManager t = loaded.trust();
        return t == null || !clientAuth.verified ? new X509Certificate[0] : t.getAcceptedIssuers();
      }
    };
  }
}
