package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One site's cluster, as librados plus librbd see it: pools, namespaces, images, small key-value
 * objects, watch/notify, the config-key store and the mirroring metadata. The embedded backend
 * implements it with its own block store; the Ceph backend maps each call onto librados/librbd.
 * Every call is asynchronous and never blocks the caller's event loop.
 */
public interface Cluster {

    /** The cluster's unique id. */
    String fsid();

    /** The client this connection authenticated as ({@code client.admin}). */
    String clientName();

    // --- pools and namespaces (rados_pool_*, rbd_pool_init, rbd_namespace_*) ---

    Future<List<PoolInfo>> listPools();

    Future<Void> createPool(String pool);

    Future<Void> removePool(String pool);

    Future<Void> initPool(String pool);

    Future<List<String>> listNamespaces(String pool);

    Future<Void> createNamespace(PoolNamespace namespace);

    Future<Void> removeNamespace(PoolNamespace namespace);

    // --- images (rbd_list2, rbd_create4, rbd_remove, rbd_rename, rbd_open) ---

    Future<List<ImageEntry>> listImages(PoolNamespace where);

    Future<Void> createImage(ImageSpec spec, ImageOptions options);

    /** Removes an image; ENOTEMPTY while it has user snapshots, EBUSY while it is open elsewhere (librbd). */
    Future<Void> removeImage(ImageSpec spec);

    Future<Void> renameImage(ImageSpec spec, String newName);

    Future<Image> openImage(ImageSpec spec);

    Future<Image> openImageById(PoolNamespace where, String imageId);

    /** Opens an image read-only at a snapshot ({@code rbd_open_by_id} then {@code rbd_snap_set_by_id}). */
    Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId);

    /**
     * Opens a non-primary image for the mirror daemon that replays into it: while its newest
     * mirror-snapshot is an incomplete non-primary one, the handle may write, discard, resize and
     * create user snapshots, which other clients of a non-primary image may not (librbd's
     * {@code read_only_mask} without {@code IMAGE_READ_ONLY_FLAG_NON_PRIMARY}, as rbd-mirror opens it).
     */
    Future<Image> openImageForReplay(PoolNamespace where, String imageId);

    // --- key-value objects (rados omap) ---

    Future<Map<String, String>> omapGet(PoolNamespace where, String object);

    Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values);

    Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys);

    /** Removes the whole object; succeeds if it did not exist. */
    Future<Void> removeObject(PoolNamespace where, String object);

    // --- watch / notify (rados_watch2, rados_notify2) ---

    Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify);

    Future<Void> notify(PoolNamespace where, String object, Buffer payload);

    // --- config-key store (ceph config-key get/set/rm/ls) ---

    Future<Optional<String>> configKeyGet(String key);

    Future<Void> configKeySet(String key, String value);

    Future<Void> configKeyRemove(String key);

    Future<Map<String, String>> configKeyList(String prefix);

    /**
     * Sets {@code key} to {@code value} only if it holds {@code expected} now ({@code null}: only if it is
     * absent), atomically; true when it was set. What a lease needs to have one holder. The monitor's
     * config-key service has no such operation: the Ceph backend fails with EOPNOTSUPP.
     */
    Future<Boolean> configKeyCompareAndSet(String key, String expected, String value);

    // --- the auth database (the monitor's auth get-or-create / get / ls / rm) ---

    /**
     * Returns the entity if it exists and each cap given equals its own ({@code ceph auth
     * get-or-create}; EINVAL {@code key for client.x exists but cap mon does not match} otherwise),
     * else creates it with a new key and {@code caps} (service to cap, {@code "mon" -> "profile rbd"}).
     * A backend refuses caps it cannot enforce with EINVAL.
     */
    Future<AuthEntity> authGetOrCreate(String entity, Map<String, String> caps);

    /** The entity with its key and caps; ENOENT {@code failed to find client.x in keyring}. */
    Future<AuthEntity> authGet(String entity);

    /** Every entity of the auth database ({@code ceph auth ls}). */
    Future<List<AuthEntity>> authList();

    /** Removes an entity ({@code ceph auth rm}); true if it existed, false if there was none. */
    Future<Boolean> authRemove(String entity);

    // --- mirroring: pool and namespace (rbd_mirror_mode_*, rbd_mirror_site_name_*, peers) ---

    Future<MirrorMode> mirrorModeGet(PoolNamespace where);

    Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode mode);

    /** The namespace on the peer that this namespace mirrors with ({@code --remote-namespace}). */
    Future<String> mirrorRemoteNamespaceGet(PoolNamespace where);

    Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace);

    /** The pool's mirror uuid, created when mirroring is first enabled. */
    Future<String> mirrorUuidGet(String pool);

    Future<String> mirrorSiteNameGet();

    Future<Void> mirrorSiteNameSet(String siteName);

    /** Creates the peer client with its capabilities and returns the bootstrap token (base64 JSON). */
    Future<String> mirrorPeerBootstrapCreate(String pool);

    Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token);

    /** Adds a peer; returns its uuid. */
    Future<String> mirrorPeerSiteAdd(String pool, String siteName, String clientName,
                                     MirrorPeerDirection direction);

    Future<Void> mirrorPeerSiteRemove(String pool, String uuid);

    /** Renames a peer site ({@code rbd_mirror_peer_site_set_name}); ENOENT for an unknown uuid. */
    Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName);

    /** Changes the client a peer is reached as ({@code rbd_mirror_peer_site_set_client_name}). */
    Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName);

    /** Changes which way this site mirrors with a peer ({@code rbd_mirror_peer_site_set_direction}). */
    Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction);

    Future<List<MirrorPeer>> mirrorPeerSiteList(String pool);

    /** Peer attributes ({@code mon_host}, {@code key}), kept in the config-key store. */
    Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid);

    Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes);

    /** A peer daemon announces itself ({@code mirror_peer_ping}); adds a tx-only peer if unknown. */
    Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid);

    // --- mirroring: images and statuses ---

    /**
     * Creates {@code spec} as the snapshot-mode, non-primary mirror copy of the image with
     * {@code globalId} whose primary lives in the pool with mirror uuid {@code primaryMirrorUuid}
     * (rbd-mirror's {@code CreateImageRequest}; librbd's {@code mirror::EnableRequest} with a
     * non-primary global id). EEXIST if the pool already has a copy of that global id.
     */
    Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                             String primaryMirrorUuid);

    /** Every mirror-enabled image of a pool or namespace, by image id. */
    Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where);

    Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where);

    /** Counts of images by replay state, as {@code rbd mirror pool status} summarises them. */
    Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where);

    /** A daemon records an image's status for its site (rbd-mirror's {@code mirror_image_status_set}). */
    Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status);

    Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid);

    // --- the manager's service map (rados_service_register, rados_service_update_status) ---

    /**
     * This client's instance id ({@code rados_get_instance_id}): the id the image statuses it writes
     * are attributed to, which {@link #mirrorImageInstanceIdList} reports back.
     */
    Future<Long> instanceId();

    /**
     * Registers this client as daemon {@code daemon} of {@code service} ({@code rados_service_register}); a
     * client registers at most once (EEXIST). The daemon stays in the service map while this client is
     * connected and pushes its status within the manager's grace period ({@code mgr_service_beacon_grace}).
     */
    Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata);

    /** Replaces the registered daemon's status ({@code rados_service_update_status}); ENOENT if not registered. */
    Future<Void> serviceDaemonUpdateStatus(Map<String, String> status);

    /**
     * Ends this client's daemon role as its going away would: the registration is dropped and the image
     * statuses it wrote read as down. Succeeds if it was not registered.
     */
    Future<Void> serviceDaemonUnregister();

    /** The daemons of {@code service} in the service map, by name ({@code service dump} plus {@code service status}). */
    Future<List<ServiceDaemon>> serviceDaemonList(String service);

    /**
     * Image id to the instance id of the client whose local status for it is up
     * ({@code rbd_mirror_image_instance_id_list}).
     */
    Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where);

    Future<Void> close();
}
