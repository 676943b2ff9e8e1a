package org.voicerelay.stt.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made for one test with the JDK's {@code keytool}, in PKCS#12 files under
 * {@code target/security-tests} (for localhost and 127.0.0.1, valid for two days). Run on the test
 * thread, never on an event loop.
 */
public final class TestCertificates {

  /** The key store's password in these tests. */
  public static final String PASSWORD = "store-pass-Xk29-tests-only";

  private TestCertificates() {
  }

  /** A new key store holding a new self-signed certificate and its key. */
  public static Path selfSigned(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "security-tests"));
    Path store = dir.resolve(name + "-" + UUID.randomUUID() + ".p12");
    Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD))
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".keytool.log").toFile()).start();
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed; see " + dir.resolve(name + ".keytool.log"));
    }
    return store;
  }

  /** TLS options serving (and trusting) the certificate in {@code store}. */
  public static TlsOptions tls(Path store) {
    return new TlsOptions().setEnabled(true).setKeyStorePath(store.toString()).setKeyStorePassword(PASSWORD);
  }

  /** Trust of exactly that certificate, for a client. */
  public static io.vertx.core.net.KeyStoreOptions trust(Path store) {
    return new io.vertx.core.net.KeyStoreOptions().setType("PKCS12").setPath(store.toString()).setPassword(PASSWORD);
  }

  /** The certificate of {@code store} as a PEM file beside it, for clients that take PEM (Python's ssl). */
  public static Path pem(Path store) throws Exception {
    String alias = store.getFileName().toString().substring(0, store.getFileName().toString().indexOf('-'));
    Path pem = store.resolveSibling(store.getFileName() + ".pem");
    Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-file", pem.toString())).redirectErrorStream(true)
        .redirectOutput(store.resolveSibling(store.getFileName() + ".export.log").toFile()).start();
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool -exportcert failed for " + store);
    }
    return pem;
  }
}
