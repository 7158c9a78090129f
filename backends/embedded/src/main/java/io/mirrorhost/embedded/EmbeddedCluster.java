package io.mirrorhost.embedded;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceRecord;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageOptions;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.JournalBatch;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalPeerClient;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.api.cluster.Watch;
import io.mirrorhost.embedded.net.AuthRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedded backend's cluster: pools, namespaces, images, omap objects, watch/notify and the
 * config-key store of one data directory, in-process. {@link #asClient} gives views of the same
 * store for other clients (the network server opens one per authenticated client).
 */
public final class EmbeddedCluster implements Cluster {
    public static final String DEFAULT_CLIENT = "client.admin";

    private final ClusterStore store;
    private final String clientName;
    private final boolean owner;
    private final EmbeddedMirroring mirroring;

    private EmbeddedCluster(ClusterStore store, String clientName, boolean owner) {
        this.store = store;
        this.clientName = clientName;
        this.owner = owner;
        this.mirroring = new EmbeddedMirroring(this, store, java.time.Clock.systemUTC());
    }

    /**
     * Opens (creating if absent) the store in {@code dataDir}, blocking: call it off the event loop.
     * Leftovers of an interrupted operation are cleaned up before it returns.
     */
    public static EmbeddedCluster open(Vertx vertx, Path dataDir) throws IOException {
        return new EmbeddedCluster(ClusterStore.open(vertx, dataDir), DEFAULT_CLIENT, true);
    }

    /** A view of the same store acting as {@code client}; closing it leaves the store open. */
    public EmbeddedCluster asClient(String client) {
        return new EmbeddedCluster(store, client, false);
    }

    ClusterStore store() {
        return store;
    }

    /** The directory this store lives in. */
    public Path dataDir() {
        return store.dataDir;
    }

    @Override
    public String fsid() {
        return store.fsid;
    }

    /** The site's {@code peer_tls_ca}: trusted when a bootstrap import reaches a {@code tls://} peer. */
    public void trustPeersWith(io.mirrorhost.embedded.net.TlsSettings peerTrust) {
        store.peerTrust = peerTrust;
    }

    io.mirrorhost.embedded.net.TlsSettings peerTrust() {
        return store.peerTrust;
    }

    /** The site's {@code rbd_mirroring_max_mirroring_snapshots}: older primary mirror-snapshots are pruned. */
    public void limitMirroringSnapshots(int max) {
        store.maxMirroringSnapshots = max;
    }

    @Override
    public String clientName() {
        return clientName;
    }

    private <T> Future<T> onLane(StoreExecutor.Work<T> work) {
        return store.executor.run(store.lane, work);
    }

    private <T> Future<T> tx(Metadata.SqlWork<T> work) {
        return onLane(() -> store.metadata.transaction(work));
    }

    // --- pools and namespaces ---

    @Override
    public Future<List<PoolInfo>> listPools() {
        return tx(t -> t.query("SELECT id, name, rbd_init FROM pools ORDER BY id",
            r -> new PoolInfo(r.getLong(1), r.getString(2), r.getInt(3) != 0)));
    }

    @Override
    public Future<Void> createPool(String pool) {
        return tx(t -> {
            Names.checkPool(pool);
            if (t.queryOne("SELECT 1 FROM pools WHERE name = ?", r -> true, pool).isPresent()) {
                throw ClusterException.exists("pool '" + pool + "' already exists");
            }
            long id = Long.parseLong(t.queryOne("SELECT value FROM cluster WHERE key = 'last_pool_id'",
                r -> r.getString(1)).orElse("0")) + 1;
            t.update("INSERT OR REPLACE INTO cluster (key, value) VALUES ('last_pool_id', ?)", Long.toString(id));
            t.update("INSERT INTO pools (id, name) VALUES (?, ?)", id, pool);
            return null;
        });
    }

    @Override
    public Future<Void> removePool(String pool) {
        return onLane(() -> {
            long id = store.metadata.transaction(t -> {
                long poolId = ClusterStore.poolId(t, pool);
                List<String> foreign = t.query("SELECT name FROM images WHERE data_pool_id = ? AND pool_id <> ?",
                    r -> r.getString(1), poolId, poolId);
                if (!foreign.isEmpty()) {
                    throw new ClusterException(Errno.EBUSY, "pool '" + pool + "' holds the data of images of other pools");
                }
                if (t.queryOne("SELECT 1 FROM images WHERE pool_id = ? LIMIT 1", r -> true, poolId).isPresent()) {
                    throw new ClusterException(Errno.EBUSY, "pool '" + pool + "' still has images; remove them first");
                }
                t.update("DELETE FROM omap WHERE pool_id = ?", poolId);
                t.update("DELETE FROM namespaces WHERE pool_id = ?", poolId);
                t.update("DELETE FROM mirror_peers WHERE pool_id = ?", poolId);
                t.update("DELETE FROM mirror_statuses WHERE pool_id = ?", poolId);
                t.update("DELETE FROM pools WHERE id = ?", poolId);
                return poolId;
            });
            Recovery.deleteTree(store.objectsDir().resolve(Long.toString(id)));
            return null;
        });
    }

    @Override
    public Future<Void> initPool(String pool) {
        return tx(t -> {
            long id = ClusterStore.poolId(t, pool);
            t.update("UPDATE pools SET rbd_init = 1 WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public Future<List<String>> listNamespaces(String pool) {
        return tx(t -> {
            long id = ClusterStore.poolId(t, pool);
            return t.query("SELECT name FROM namespaces WHERE pool_id = ? ORDER BY name", r -> r.getString(1), id);
        });
    }

    @Override
    public Future<Void> createNamespace(PoolNamespace namespace) {
        return tx(t -> {
            Names.checkNamespace(namespace.namespace());
            long id = ClusterStore.poolId(t, namespace.pool());
            if (t.queryOne("SELECT 1 FROM namespaces WHERE pool_id = ? AND name = ?", r -> true,
                    id, namespace.namespace()).isPresent()) {
                throw ClusterException.exists("namespace '" + namespace + "' already exists");
            }
            t.update("INSERT INTO namespaces (pool_id, name) VALUES (?, ?)", id, namespace.namespace());
            return null;
        });
    }

    @Override
    public Future<Void> removeNamespace(PoolNamespace namespace) {
        return tx(t -> {
            Names.checkNamespace(namespace.namespace());
            long id = ClusterStore.poolNamespace(t, namespace.pool(), namespace.namespace());
            if (t.queryOne("SELECT 1 FROM images WHERE pool_id = ? AND namespace = ? LIMIT 1", r -> true,
                    id, namespace.namespace()).isPresent()) {
                throw new ClusterException(Errno.EBUSY, "namespace '" + namespace + "' is not empty");
            }
            t.update("DELETE FROM omap WHERE pool_id = ? AND namespace = ?", id, namespace.namespace());
            t.update("DELETE FROM mirror_statuses WHERE pool_id = ? AND namespace = ?", id, namespace.namespace());
            t.update("DELETE FROM namespaces WHERE pool_id = ? AND name = ?", id, namespace.namespace());
            return null;
        });
    }

    // --- images ---

    @Override
    public Future<List<ImageEntry>> listImages(PoolNamespace where) {
        return tx(t -> {
            long id = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            return t.query("SELECT name, id FROM images WHERE pool_id = ? AND namespace = ? ORDER BY name",
                r -> new ImageEntry(r.getString(1), r.getString(2)), id, where.namespace());
        });
    }

    @Override
    public Future<Void> createImage(ImageSpec spec, ImageOptions options) {
        return tx(t -> {
            String id = ImageCatalog.create(t, spec, options);
            return EmbeddedMirroring.onImageCreated(t, store, id, spec, options.features());
        }).map(announce -> {
            announce.run();
            return null;
        });
    }

    @Override
    public Future<Void> removeImage(ImageSpec spec) {
        Runnable[] announce = {() -> { }};
        return onLane(() -> {
            ImageCatalog.Located image = store.metadata.transaction(t -> {
                ImageCatalog.Located found = ImageCatalog.locate(t, spec);
                // in librbd's order (PreRemoveRequest): snapshots, then watchers; mirror-snapshots go with the image
                if (t.queryOne("SELECT 1 FROM snaps WHERE image_id = ? AND snap_namespace <> 'MIRROR' LIMIT 1",
                        r -> true, found.id()).isPresent()) {
                    throw new ClusterException(Errno.ENOTEMPTY, "image has snapshots - these must be deleted"
                        + " with 'rbd snap purge' before the image can be removed.");
                }
                if (store.openImages.containsKey(found.id())) {
                    throw new ClusterException(Errno.EBUSY,
                        "librbd::image::PreRemoveRequest: check_image_watchers: image has watchers - not removing");
                }
                announce[0] = EmbeddedMirroring.onImageRemoved(t, store, found.id());
                ImageCatalog.deleteImageRows(t, found.id());
                return found;
            });
            Recovery.deleteTree(ClusterStore.imageDir(store.dataDir, image.dataPoolId(), image.id()));
            Recovery.deleteTree(ImageJournal.dir(store.dataDir, image.id()));
            return null;
        }).map(v -> {
            announce[0].run();
            return null;
        });
    }

    @Override
    public Future<Void> renameImage(ImageSpec spec, String newName) {
        return onLane(() -> {
            String imageId = store.metadata.transaction(t -> ImageCatalog.rename(t, spec, newName));
            ImageStore open = store.openImages.get(imageId);
            if (open != null) {
                open.renamed(newName);
            }
            return null;
        });
    }

    @Override
    public Future<Image> openImage(ImageSpec spec) {
        return onLane(() -> {
            String imageId = store.metadata.transaction(t -> ImageCatalog.locate(t, spec).id());
            return (Image) new EmbeddedImage(acquireImageStore(imageId), clientName, null);
        });
    }

    @Override
    public Future<Image> openImageById(PoolNamespace where, String imageId) {
        return onLane(() -> {
            store.metadata.transaction(t -> ImageCatalog.locateById(t, where, imageId));
            return (Image) new EmbeddedImage(acquireImageStore(imageId), clientName, null);
        });
    }

    @Override
    public Future<Image> openImageForReplay(PoolNamespace where, String imageId) {
        return onLane(() -> {
            store.metadata.transaction(t -> ImageCatalog.locateById(t, where, imageId));
            return (Image) new EmbeddedImage(acquireImageStore(imageId), clientName, null, true);
        });
    }

    @Override
    public Future<Void> mirrorCreateNonPrimaryImage(ImageSpec spec, ImageOptions options, String globalId,
                                                    String primaryMirrorUuid) {
        return EmbeddedReplicas.createNonPrimaryImage(this, spec, options, globalId);
    }

    @Override
    public Future<Image> openImageAtSnap(PoolNamespace where, String imageId, long snapId) {
        return onLane(() -> {
            store.metadata.transaction(t -> ImageCatalog.locateById(t, where, imageId));
            ImageStore image = acquireImageStore(imageId);
            if (!image.hasSnap(snapId)) {
                releaseImageStore(image);
                throw ClusterException.notFound("snapshot id " + snapId + " does not exist");
            }
            return (Image) new EmbeddedImage(image, clientName, snapId);
        });
    }

    /** On the cluster lane: the shared store of an image, loaded on first open. */
    private ImageStore acquireImageStore(String imageId) throws IOException, SQLException {
        ImageStore image = store.openImages.get(imageId);
        if (image == null) {
            image = ImageStore.load(store, imageId, this::releaseImageStoreLater);
            store.openImages.put(imageId, image);
        }
        image.retain();
        return image;
    }

    private void releaseImageStore(ImageStore image) throws IOException {
        if (image.release()) {
            store.openImages.remove(image.imageId(), image);
            image.closeFiles();
        }
    }

    /** Called once a handle has closed (and flushed) on its image lane. */
    private Future<Void> releaseImageStoreLater(ImageStore image) {
        return onLane(() -> {
            releaseImageStore(image);
            return null;
        });
    }

    // --- omap ---

    @Override
    public Future<Map<String, String>> omapGet(PoolNamespace where, String object) {
        return tx(t -> {
            Names.checkObject(object);
            long id = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            Map<String, String> values = new LinkedHashMap<>();
            t.query("SELECT key, value FROM omap WHERE pool_id = ? AND namespace = ? AND object = ? ORDER BY key",
                r -> values.put(r.getString(1), r.getString(2)), id, where.namespace(), object);
            return values;
        });
    }

    @Override
    public Future<Void> omapSet(PoolNamespace where, String object, Map<String, String> values) {
        return tx(t -> {
            Names.checkObject(object);
            long id = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            for (Map.Entry<String, String> e : values.entrySet()) {
                t.update("INSERT OR REPLACE INTO omap (pool_id, namespace, object, key, value) VALUES (?, ?, ?, ?, ?)",
                    id, where.namespace(), object, e.getKey(), e.getValue());
            }
            return null;
        });
    }

    @Override
    public Future<Void> omapRemove(PoolNamespace where, String object, Set<String> keys) {
        return tx(t -> {
            Names.checkObject(object);
            long id = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            for (String key : keys) {
                t.update("DELETE FROM omap WHERE pool_id = ? AND namespace = ? AND object = ? AND key = ?",
                    id, where.namespace(), object, key);
            }
            return null;
        });
    }

    @Override
    public Future<Void> removeObject(PoolNamespace where, String object) {
        return tx(t -> {
            Names.checkObject(object);
            long id = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            t.update("DELETE FROM omap WHERE pool_id = ? AND namespace = ? AND object = ?", id, where.namespace(), object);
            return null;
        });
    }

    // --- watch / notify ---

    @Override
    public Future<Watch> watch(PoolNamespace where, String object, Consumer<Buffer> onNotify) {
        return tx(t -> {
            Names.checkObject(object);
            return ClusterStore.poolNamespace(t, where.pool(), where.namespace());
        }).map(poolId -> store.watches.watch(Watches.objectKey(poolId, where.namespace(), object), onNotify));
    }

    @Override
    public Future<Void> notify(PoolNamespace where, String object, Buffer payload) {
        return tx(t -> {
            Names.checkObject(object);
            return ClusterStore.poolNamespace(t, where.pool(), where.namespace());
        }).map(poolId -> {
            store.watches.notify(Watches.objectKey(poolId, where.namespace(), object), payload);
            return null;
        });
    }

    // --- config-key ---

    @Override
    public Future<Optional<String>> configKeyGet(String key) {
        return tx(t -> t.queryOne("SELECT value FROM config_keys WHERE key = ?", r -> r.getString(1), key));
    }

    @Override
    public Future<Void> configKeySet(String key, String value) {
        return tx(t -> {
            if (key == null || key.isEmpty()) {
                throw ClusterException.invalid("config-key must not be empty");
            }
            t.update("INSERT OR REPLACE INTO config_keys (key, value) VALUES (?, ?)", key, value);
            return null;
        });
    }

    @Override
    public Future<Boolean> configKeyCompareAndSet(String key, String expected, String value) {
        return tx(t -> {
            if (key == null || key.isEmpty()) {
                throw ClusterException.invalid("config-key must not be empty");
            }
            Optional<String> current = t.queryOne("SELECT value FROM config_keys WHERE key = ?", r -> r.getString(1), key);
            if (!current.equals(Optional.ofNullable(expected))) {
                return false;
            }
            t.update("INSERT OR REPLACE INTO config_keys (key, value) VALUES (?, ?)", key, value);
            return true;
        });
    }

    @Override
    public Future<Void> configKeyRemove(String key) {
        return tx(t -> {
            if (t.update("DELETE FROM config_keys WHERE key = ?", key) == 0) {
                throw ClusterException.notFound("no such key '" + key + "'");
            }
            return null;
        });
    }

    @Override
    public Future<Map<String, String>> configKeyList(String prefix) {
        String p = prefix == null ? "" : prefix;
        return tx(t -> {
            Map<String, String> values = new LinkedHashMap<>();
            t.query("SELECT key, value FROM config_keys WHERE substr(key, 1, ?) = ? ORDER BY key",
                r -> values.put(r.getString(1), r.getString(2)), p.length(), p);
            return values;
        });
    }

    // --- fences (the rules live in FenceRules; Fences enforces them on every fenced call) ---

    @Override
    public Future<FenceToken> fenceTake(String name, long known, String holder) {
        return onLane(() -> {
            FenceRules.Take take = store.metadata.transaction(t -> {
                checkFenceName(name);
                long stored = t.queryOne("SELECT epoch FROM fences WHERE name = ?", r -> r.getLong(1), name).orElse(0L);
                FenceRules.Take decided = FenceRules.take(stored, known);
                if (decided instanceof FenceRules.Granted granted) {
                    t.update("INSERT OR REPLACE INTO fences (name, epoch, holder, client) VALUES (?, ?, ?, ?)",
                        name, granted.epoch(), holder, clientName);
                }
                return decided;
            });
            if (take instanceof FenceRules.Stale stale) {
                throw new ClusterException(Errno.ESTALE, "fence " + name + " is at epoch " + stale.stored()
                    + ", beyond the known " + known);
            }
            long epoch = ((FenceRules.Granted) take).epoch();
            return store.fences.advance(name, epoch).map(drained -> new FenceToken(name, epoch));
        }).compose(taken -> taken);
    }

    @Override
    public Future<Optional<FenceRecord>> fenceGet(String name) {
        return tx(t -> {
            checkFenceName(name);
            return t.queryOne("SELECT epoch, holder FROM fences WHERE name = ?",
                r -> new FenceRecord(name, r.getLong(1), r.getString(2), store.fences.refused(name)), name);
        });
    }

    @Override
    public Cluster fenced(FenceToken token) {
        return FencedView.of(this, token, store.fences);
    }

    private static void checkFenceName(String name) {
        if (name == null || name.isEmpty()) {
            throw ClusterException.invalid("a fence needs a name");
        }
    }

    // --- auth (ceph auth get-or-create/get/ls/rm; the rules live in AuthRegistry and CephCaps) ---

    @Override
    public Future<AuthEntity> authGetOrCreate(String entity, Map<String, String> caps) {
        return new AuthRegistry(this).getOrCreateEntity(entity, caps == null ? Map.of() : caps);
    }

    @Override
    public Future<AuthEntity> authGet(String entity) {
        return new AuthRegistry(this).getEntity(entity);
    }

    @Override
    public Future<List<AuthEntity>> authList() {
        return new AuthRegistry(this).listEntities();
    }

    @Override
    public Future<Boolean> authRemove(String entity) {
        return new AuthRegistry(this).removeEntity(entity, clientName);
    }

    // --- journals (EmbeddedJournals) ---

    @Override
    public Future<JournalInfo> journalInfo(PoolNamespace where, String journalId) {
        return tx(t -> EmbeddedJournals.info(t, where, journalId));
    }

    @Override
    public Future<JournalStatus> journalStatus(PoolNamespace where, String journalId) {
        return tx(t -> EmbeddedJournals.status(t, where, journalId));
    }

    @Override
    public Future<List<String>> journalClientDisconnect(PoolNamespace where, String journalId, String clientId) {
        return tx(t -> EmbeddedJournals.disconnect(t, where, journalId, clientId));
    }

    @Override
    public Future<Void> journalClientRegister(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                              JournalPeerClient.SyncState state) {
        return tx(t -> EmbeddedJournals.register(t, where, journalId,
            new JournalRows.PeerMeta(mirrorUuid, imageId, state)));
    }

    @Override
    public Future<Void> journalClientUpdate(PoolNamespace where, String journalId, String mirrorUuid, String imageId,
                                            JournalPeerClient.SyncState state) {
        return tx(t -> EmbeddedJournals.update(t, where, journalId, new JournalRows.PeerMeta(mirrorUuid, imageId, state)));
    }

    @Override
    public Future<Void> journalClientUnregister(PoolNamespace where, String journalId, String mirrorUuid) {
        return tx(t -> EmbeddedJournals.unregister(t, where, journalId, mirrorUuid));
    }

    @Override
    public Future<List<JournalPeerClient>> journalPeerClients(PoolNamespace where, String journalId) {
        return tx(t -> EmbeddedJournals.peers(t, where, journalId));
    }

    @Override
    public Future<JournalBatch> journalRead(PoolNamespace where, String journalId, JournalStatus.ObjectPosition after,
                                            int maxEntries, long maxBytes) {
        return onLane(() -> {
            ImageStore open = store.openImages.get(journalId);
            ImageJournal.DurableEnd durable = open == null ? null : open.journalDurableEnd();
            JournalRows.Header header = store.metadata.transaction(t -> EmbeddedJournals.readableHeader(t, where,
                journalId));
            return EmbeddedJournals.read(store.dataDir, journalId, header, durable, after, maxEntries, maxBytes);
        });
    }

    @Override
    public Future<Void> journalClientCommit(PoolNamespace where, String journalId, String mirrorUuid,
                                            JournalStatus.ObjectPosition position) {
        return tx(t -> EmbeddedJournals.commit(t, where, journalId, mirrorUuid, position));
    }

    @Override
    public Future<List<JournalTag>> journalTags(PoolNamespace where, String journalId) {
        return tx(t -> EmbeddedJournals.tags(t, where, journalId));
    }

    // --- mirroring (the rules live in EmbeddedMirroring and ImageMirroring) ---

    @Override
    public Future<MirrorMode> mirrorModeGet(PoolNamespace where) {
        return mirroring.modeGet(where);
    }

    @Override
    public Future<Void> mirrorModeSet(PoolNamespace where, MirrorMode mode) {
        return mirroring.modeSet(where, mode);
    }

    @Override
    public Future<String> mirrorRemoteNamespaceGet(PoolNamespace where) {
        return mirroring.remoteNamespaceGet(where);
    }

    @Override
    public Future<Void> mirrorRemoteNamespaceSet(PoolNamespace where, String remoteNamespace) {
        return mirroring.remoteNamespaceSet(where, remoteNamespace);
    }

    @Override
    public Future<String> mirrorUuidGet(String pool) {
        return mirroring.uuidGet(pool);
    }

    @Override
    public Future<String> mirrorSiteNameGet() {
        return mirroring.siteNameGet();
    }

    @Override
    public Future<Void> mirrorSiteNameSet(String siteName) {
        return mirroring.siteNameSet(siteName);
    }

    @Override
    public Future<String> mirrorPeerBootstrapCreate(String pool) {
        return mirroring.peerBootstrapCreate(pool);
    }

    @Override
    public Future<Void> mirrorPeerBootstrapImport(String pool, MirrorPeerDirection direction, String token) {
        return mirroring.peerBootstrapImport(pool, direction, token);
    }

    @Override
    public Future<String> mirrorPeerSiteAdd(String pool, String siteName, String clientName,
                                            MirrorPeerDirection direction) {
        return mirroring.peerSiteAdd(pool, siteName, clientName, direction);
    }

    @Override
    public Future<Void> mirrorPeerSiteRemove(String pool, String uuid) {
        return mirroring.peerSiteRemove(pool, uuid);
    }

    @Override
    public Future<Void> mirrorPeerSiteSetName(String pool, String uuid, String siteName) {
        return mirroring.peerSiteSetName(pool, uuid, siteName);
    }

    @Override
    public Future<Void> mirrorPeerSiteSetClientName(String pool, String uuid, String clientName) {
        return mirroring.peerSiteUpdate(pool, uuid, "set_client_name", (t, poolId, peer) ->
            new MirrorPeer(peer.uuid(), peer.direction(), peer.siteName(), peer.mirrorUuid(),
                clientName == null ? "" : clientName, peer.lastSeen()));
    }

    @Override
    public Future<Void> mirrorPeerSiteSetDirection(String pool, String uuid, MirrorPeerDirection direction) {
        return mirroring.peerSiteUpdate(pool, uuid, "set_direction", (t, poolId, peer) ->
            new MirrorPeer(peer.uuid(), direction, peer.siteName(), peer.mirrorUuid(), peer.clientName(),
                peer.lastSeen()));
    }

    @Override
    public Future<List<MirrorPeer>> mirrorPeerSiteList(String pool) {
        return mirroring.peerSiteList(pool);
    }

    @Override
    public Future<Map<String, String>> mirrorPeerSiteGetAttributes(String pool, String uuid) {
        return mirroring.peerSiteGetAttributes(pool, uuid);
    }

    @Override
    public Future<Void> mirrorPeerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes) {
        return mirroring.peerSiteSetAttributes(pool, uuid, attributes);
    }

    @Override
    public Future<Void> mirrorPeerPing(String pool, String siteName, String mirrorUuid) {
        return mirroring.peerPing(pool, siteName, mirrorUuid);
    }

    @Override
    public Future<Map<String, MirrorImageInfo>> mirrorImageInfoList(PoolNamespace where) {
        return mirroring.imageInfoList(where);
    }

    @Override
    public Future<List<MirrorImageGlobalStatus>> mirrorImageGlobalStatusList(PoolNamespace where) {
        return mirroring.imageGlobalStatusList(where);
    }

    @Override
    public Future<Map<MirrorImageStatusState, Integer>> mirrorImageStatusSummary(PoolNamespace where) {
        return mirroring.imageStatusSummary(where);
    }

    @Override
    public Future<Void> mirrorImageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
        return mirroring.imageStatusSet(where, globalId, status)
            .onSuccess(v -> store.services.statusWritten(store.services.instanceId(this), statusKey(where, globalId,
                status.mirrorUuid())));
    }

    @Override
    public Future<Void> mirrorImageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid) {
        return mirroring.imageStatusRemove(where, globalId, mirrorUuid)
            .onSuccess(v -> store.services.statusRemoved(statusKey(where, globalId, mirrorUuid)));
    }

    @Override
    public Future<Void> close() {
        if (!owner) {
            return Future.succeededFuture();
        }
        Future<Void> drained = onLane(() -> List.copyOf(store.openImages.values()))
            .compose(images -> Future.join(images.stream().map(ImageStore::shutdown).toList()).mapEmpty());
        return drained.transform(ignored -> store.vertx.<Void>executeBlocking(() -> {
            store.close();
            return null;
        }, false));
    }

    // --- the service map (ServiceRegistry): this view is one client session ---

    @Override
    public Future<Long> instanceId() {
        return Future.succeededFuture(store.services.instanceId(this));
    }

    @Override
    public Future<Void> serviceDaemonRegister(String service, String daemon, Map<String, String> metadata) {
        try {
            store.services.register(store.services.instanceId(this), service, daemon, metadata);
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        sweepSilentDaemons();
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> serviceDaemonUpdateStatus(Map<String, String> status) {
        try {
            store.services.updateStatus(store.services.instanceId(this), status);
            return Future.succeededFuture();
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Void> serviceDaemonUnregister() {
        return markDown(store.services.end(store.services.instanceId(this)));
    }

    @Override
    public Future<List<ServiceDaemon>> serviceDaemonList(String service) {
        return Future.succeededFuture(store.services.list(service));
    }

    @Override
    public Future<Map<String, String>> mirrorImageInstanceIdList(PoolNamespace where) {
        Map<String, Long> writers = store.services.localWriters(where.pool(), where.namespace());
        return mirroring.imageInfoList(where).map(infos -> {
            Map<String, String> ids = new java.util.TreeMap<>();
            infos.forEach((imageId, info) -> {
                Long writer = writers.get(info.globalId());
                if (writer != null) {
                    ids.put(imageId, Long.toString(writer));
                }
            });
            return ids;
        });
    }

    private static ServiceRegistry.StatusKey statusKey(PoolNamespace where, String globalId, String mirrorUuid) {
        return new ServiceRegistry.StatusKey(where.pool(), where.namespace(), globalId,
            mirrorUuid == null ? "" : mirrorUuid);
    }

    /** The statuses of a client that went away read as down, as cls_rbd's do once their writer's watch is gone. */
    private Future<Void> markDown(List<ServiceRegistry.StatusKey> statuses) {
        if (statuses.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx(t -> {
            for (ServiceRegistry.StatusKey key : statuses) {
                Optional<Long> poolId = t.queryOne("SELECT id FROM pools WHERE name = ?", r -> r.getLong(1), key.pool());
                if (poolId.isPresent()) {
                    MirrorStatuses.markDown(t, poolId.get(), key.namespace(), key.globalId(), key.mirrorUuid());
                }
            }
            return null;
        });
    }

    /** While daemons are registered, ends those silent beyond the grace period (the manager's beacon check). */
    private void sweepSilentDaemons() {
        if (!store.services.startSweeping()) {
            return;
        }
        long period = Math.max(1000, ServiceRegistry.GRACE.toMillis() / 4);
        store.vertx.setPeriodic(period, timer -> {
            markDown(store.services.expire());
            if (store.services.stopSweepingIfIdle()) {
                store.vertx.cancelTimer(timer);
            }
        });
    }
}
