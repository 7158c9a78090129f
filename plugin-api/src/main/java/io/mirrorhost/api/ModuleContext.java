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

    /** The site's host instances, this one among them. */
    Site site();

    /** Whether this instance leads the site, and its fencing term: what a {@link RunMode#LEADER} module acts on. */
    Leadership leadership();

    /**
     * This instance's share of the module's work items.
     *
     * @throws IllegalStateException unless the module's {@link MgrModule#runMode()} is {@link RunMode#SPREAD}
     */
    WorkAssignment assignment();

    /** The module's persistent store (shared by all host instances of the site). */
    KeyValueStore store();

    /** The clock every time decision must use. */
    Clock clock();

    /**
     * The current value of one of the module's declared options, typed by its declaration: the value set at
     * run time ({@code config set}), else the site's conf, else the declared default. The host has checked
     * each of these against the declaration before the module can read it.
     *
     * @throws IllegalArgumentException if the module does not declare {@code option}
     */
    <T> T option(OptionSpec<T> option);

    Logger logger();
}
