package org.voicerelay.stt.security;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Locale;
import org.voicerelay.stt.config.JsonTypes;

/**
 * TLS for one listener (the TCP bridge, the web endpoint) or for the clustered event bus, with
 * certificates from files named in the configuration: a key store ({@code keyStorePath}, PKCS#12,
 * or JKS when the name ends in {@code .jks}) or a PEM certificate chain and key
 * ({@code certPath}, {@code keyPath}); for peers, a trust store or PEM CA certificates. Vert.x
 * reads the files itself when the server starts. Passwords are read but never written by
 * {@link #toJson()} or {@link #toString()}.
 *
 * <p>JSON: {@code {"enabled":false, "keyStorePath", "keyStorePassword", "certPath", "keyPath",
 * "trustStorePath", "trustStorePassword", "caPath", "clientAuth":false}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class TlsOptions {

  /** Off: loopback listeners need no encryption; anything reachable from a network does. */
  public static final boolean DEFAULT_ENABLED = false;
  /** A listener does not ask callers for certificates unless told to; the event bus always does. */
  public static final boolean DEFAULT_CLIENT_AUTH = false;

  private boolean enabled = DEFAULT_ENABLED;
  private String keyStorePath;
  private String keyStorePassword;
  private String certPath;
  private String keyPath;
  private String trustStorePath;
  private String trustStorePassword;
  private String caPath;
  private boolean clientAuth = DEFAULT_CLIENT_AUTH;

  public TlsOptions() {
  }

  public TlsOptions(TlsOptions other) {
    this.enabled = other.enabled;
    this.keyStorePath = other.keyStorePath;
    this.keyStorePassword = other.keyStorePassword;
    this.certPath = other.certPath;
    this.keyPath = other.keyPath;
    this.trustStorePath = other.trustStorePath;
    this.trustStorePassword = other.trustStorePassword;
    this.caPath = other.caPath;
    this.clientAuth = other.clientAuth;
  }

  public TlsOptions(JsonObject json) {
    TlsOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "tls."), this);
  }

  /** The options without the passwords. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TlsOptionsConverter.toJson(this, json);
    json.remove("keyStorePassword");
    json.remove("trustStorePassword");
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public TlsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getKeyStorePath() {
    return keyStorePath;
  }

  /** The server's certificate and key in a PKCS#12 file (JKS if the name ends in {@code .jks}). */
  public TlsOptions setKeyStorePath(String keyStorePath) {
    this.keyStorePath = blankToNull(keyStorePath);
    return this;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  /** A secret: never in {@link #toJson()} or {@link #toString()}. */
  public TlsOptions setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
    return this;
  }

  public String getCertPath() {
    return certPath;
  }

  /** The server's PEM certificate chain (with {@link #setKeyPath}), instead of a key store. */
  public TlsOptions setCertPath(String certPath) {
    this.certPath = blankToNull(certPath);
    return this;
  }

  public String getKeyPath() {
    return keyPath;
  }

  /** The server's PEM private key (PKCS#8 or PKCS#1). */
  public TlsOptions setKeyPath(String keyPath) {
    this.keyPath = blankToNull(keyPath);
    return this;
  }

  public String getTrustStorePath() {
    return trustStorePath;
  }

  /** Certificates trusted for peers (client certificates; the event bus's other nodes). */
  public TlsOptions setTrustStorePath(String trustStorePath) {
    this.trustStorePath = blankToNull(trustStorePath);
    return this;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  /** A secret: never in {@link #toJson()} or {@link #toString()}. */
  public TlsOptions setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
    return this;
  }

  public String getCaPath() {
    return caPath;
  }

  /** PEM CA certificates trusted for peers, instead of a trust store. */
  public TlsOptions setCaPath(String caPath) {
    this.caPath = blankToNull(caPath);
    return this;
  }

  public boolean isClientAuth() {
    return clientAuth;
  }

  /** Requires callers to present a certificate the trust store or CA file trusts. */
  public TlsOptions setClientAuth(boolean clientAuth) {
    this.clientAuth = clientAuth;
    return this;
  }

  /**
   * Checks that an enabled configuration names a certificate (and trust, where required).
   *
   * @param where the options' place in the configuration, for the message ({@code bridge.tls})
   * @throws IllegalArgumentException naming what is missing
   */
  public void check(String where, boolean trustRequired) {
    if (!enabled) {
      return;
    }
    if (keyStorePath == null && (certPath == null || keyPath == null)) {
      throw new IllegalArgumentException(where + ".enabled needs " + where + ".keyStorePath, or "
          + where + ".certPath and " + where + ".keyPath");
    }
    if ((trustRequired || clientAuth) && trustStorePath == null && caPath == null) {
      throw new IllegalArgumentException(where + " needs " + where + ".trustStorePath or " + where
          + ".caPath to check its peers' certificates");
    }
  }

  /** The server's certificate and key, as Vert.x takes them. */
  public KeyCertOptions keyCertOptions() {
    if (keyStorePath != null) {
      return store(keyStorePath, keyStorePassword);
    }
    return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
  }

  /** The certificates trusted for peers, or null if none are configured. */
  public TrustOptions trustOptions() {
    if (trustStorePath != null) {
      return store(trustStorePath, trustStorePassword);
    }
    return caPath == null ? null : new PemTrustOptions().addCertPath(caPath);
  }

  /** Turns TLS on for a TCP or HTTP server, if enabled; returns the same options. */
  public <T extends NetServerOptions> T applyTo(T server) {
    if (!enabled) {
      return server;
    }
    server.setSsl(true).setKeyCertOptions(keyCertOptions());
    TrustOptions trust = trustOptions();
    if (trust != null) {
      server.setTrustOptions(trust);
    }
    if (clientAuth) {
      server.setClientAuth(ClientAuth.REQUIRED);
    }
    return server;
  }

  /**
   * Turns TLS on for the clustered event bus, if enabled: every node is server and client of the
   * others, so it presents its certificate, requires one from every peer, and trusts only the
   * configured trust; a process without such a certificate cannot put a message on the bus.
   */
  public EventBusOptions applyTo(EventBusOptions eventBus) {
    if (!enabled) {
      return eventBus;
    }
    eventBus.setSsl(true).setKeyCertOptions(keyCertOptions()).setTrustOptions(trustOptions())
        .setClientAuth(ClientAuth.REQUIRED);
    return eventBus;
  }

  /**
   * A key or trust store, as the specific JKS or PKCS#12 type: the clustered event bus copies its
   * options through JSON, which carries those types but not the generic key store options.
   */
  private static KeyStoreOptionsBase store(String path, String password) {
    return path.toLowerCase(Locale.ROOT).endsWith(".jks") ? new JksOptions().setPath(path).setPassword(password)
        : new PfxOptions().setPath(path).setPassword(password);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    return "TlsOptions" + toJson().encode();
  }
}
