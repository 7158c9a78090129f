package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * TLS of the cluster connection, from the {@code [embedded]} keys {@code tls}, {@code tls_cert} and
 * {@code tls_key} (PEM) or {@code tls_keystore} and {@code tls_keystore_password} (PKCS12), and on
 * the client side {@code tls_ca} (PEM; defaults to {@code tls_cert}, for a self-signed server cert).
 */
public record TlsSettings(boolean enabled, Path cert, Path key, Path keystore, String keystorePassword, Path ca) {

    public static final TlsSettings DISABLED = new TlsSettings(false, null, null, null, null, null);

    /** Reads the tls keys of a conf section; relative paths resolve against {@code baseDir}. */
    public static TlsSettings fromSettings(Map<String, String> settings, Path baseDir) {
        String flag = settings.getOrDefault("tls", "false").trim();
        if (!flag.equals("true") && !flag.equals("false")) {
            throw ClusterException.invalid("invalid value for tls: '" + flag + "' (expected true or false)");
        }
        return new TlsSettings(flag.equals("true"), path(settings, "tls_cert", baseDir), path(settings, "tls_key", baseDir),
                path(settings, "tls_keystore", baseDir), settings.get("tls_keystore_password"),
                path(settings, "tls_ca", baseDir));
    }

    /** A client that trusts {@code ca} (PEM). */
    public static TlsSettings clientTrusting(Path ca) {
        return new TlsSettings(true, null, null, null, null, ca);
    }

    /** Without the keystore password. */
    @Override
    public String toString() {
        return "TlsSettings[" + (enabled ? "enabled" : "disabled") + (cert != null ? " cert=" + cert : "")
                + (keystore != null ? " keystore=" + keystore : "") + (ca != null ? " ca=" + ca : "") + "]";
    }

    /** The same settings with TLS switched on. */
    public TlsSettings enable() {
        return new TlsSettings(true, cert, key, keystore, keystorePassword, ca);
    }

    void applyTo(NetServerOptions options) {
        if (!enabled) {
            return;
        }
        options.setSsl(true);
        if (keystore != null) {
            requireReadable("tls_keystore", keystore);
            options.setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(keystorePassword));
        } else if (cert != null && key != null) {
            requireReadable("tls_cert", cert);
            requireReadable("tls_key", key);
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
        } else {
            throw ClusterException.invalid("tls = true needs tls_cert and tls_key (PEM) or tls_keystore (PKCS12)");
        }
    }

    void applyTo(NetClientOptions options) {
        if (!enabled) {
            return;
        }
        options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
        Path trusted = ca != null ? ca : cert;
        if (trusted != null) {
            requireReadable(ca != null ? "tls_ca" : "tls_cert", trusted);
            options.setTrustOptions(new PemTrustOptions().addCertPath(trusted.toString()));
        }
    }

    private static Path path(Map<String, String> settings, String name, Path baseDir) {
        String value = settings.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value.trim());
        return baseDir == null ? path : baseDir.resolve(path);
    }

    private static void requireReadable(String name, Path path) {
        if (!Files.isReadable(path)) {
            throw ClusterException.invalid(name + " file " + path + " does not exist or is not readable");
        }
    }
}
