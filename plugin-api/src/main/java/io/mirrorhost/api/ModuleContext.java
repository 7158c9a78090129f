package io.mirrorhost.api;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PeerConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;

/** What the host gives a module: everything it may touch outside itself. */
public interface ModuleContext {

    Vertx vertx();

    /** This site's name, from its conf ({@code site_name}). */
    String siteName();

    /** The local cluster, through the cluster SPI. */
    Cluster cluster();

    /**
     * A connection to a peer site's cluster, as {@code rbd-mirror} opens one from a peer's
     * attributes ({@code mon_host}, {@code key}); the caller closes it.
     */
    Future<Cluster> connectPeer(PeerConnection peer);

    /** The module's persistent store (shared by all host instances of the site). */
    KeyValueStore store();

    /** The clock every time decision must use. */
    Clock clock();

    /** The current value of an option, as text: conf and {@code config set} over the declared default. */
    String option(String name);

    default long longOption(String name) {
        return Long.parseLong(option(name));
    }

    default boolean boolOption(String name) {
        return Boolean.parseBoolean(option(name));
    }

    Logger logger();
}
