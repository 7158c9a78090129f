package io.mirrorhost.api.cluster;

/**
 * One site's cluster, as librados plus librbd see it, and the sum of its roles; a class that needs
 * only some of them takes those roles, not the whole cluster:
 * <ul>
 * <li>{@link ClusterConnection}: which cluster, as which client, and closing the connection;</li>
 * <li>{@link Pools}: pools and namespaces;</li>
 * <li>{@link Images}: listing, creating, removing, renaming and opening images ({@link Image});</li>
 * <li>{@link RadosObjects}: small key-value objects (omap) and watch/notify;</li>
 * <li>{@link ConfigKeyStore}: the config-key store;</li>
 * <li>{@link AuthDatabase}: clients, keys and caps;</li>
 * <li>{@link MirrorSettings}: a pool's or namespace's mirror mode, mirror uuid and the site name;</li>
 * <li>{@link MirrorPeers}: a pool's peer sites and bootstrap;</li>
 * <li>{@link MirrorImages}: mirror-enabled images, non-primary copies and replay statuses;</li>
 * <li>{@link ServiceMap}: daemons registered with the manager;</li>
 * <li>{@link Fencing}: epochs the storage checks, so that only the latest holder of a role writes.</li>
 * <li>{@link Journals}: the journals of images with journaling.</li>
 * </ul>
 * A new SPI call goes into the role whose calls it sits beside (a new role if none fits, added to
 * this list). The embedded backend implements the whole of it with its own block store; the Ceph
 * backend maps each call onto librados/librbd. Every call is asynchronous and never blocks the
 * caller's event loop.
 */
public interface Cluster extends ClusterConnection, Pools, Images, RadosObjects, ConfigKeyStore, AuthDatabase,
        MirrorSettings, MirrorPeers, MirrorImages, ServiceMap, Fencing, Journals {
}
