package io.mirrorhost.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ImageFeature;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageSiteStatus;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.embedded.MirrorRecords.ImageRow;
import io.mirrorhost.embedded.MirrorRecords.Promotion;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The cluster-wide and pool-level mirroring of the embedded store, as librbd's {@code Mirror}
 * API over cls_rbd: mirror modes of pools and namespaces, site name, peers and their attributes,
 * the mirrored images of a pool and their statuses. Changes that librbd announces on a pool's
 * {@code rbd_mirroring} object are announced to its watchers after they commit.
 */
final class EmbeddedMirroring {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "librbd::api::Mirror: ";

    private final EmbeddedCluster cluster;
    private final ClusterStore store;
    private final Clock clock;
    private final PeerBootstrap bootstrap;

    EmbeddedMirroring(EmbeddedCluster cluster, ClusterStore store, Clock clock) {
        this.cluster = cluster;
        this.store = store;
        this.clock = clock;
        this.bootstrap = new PeerBootstrap(cluster, this, store.vertx);
    }

    private <T> Future<T> tx(Metadata.SqlWork<T> work) {
        return store.executor.run(store.lane, () -> store.metadata.transaction(work));
    }

    private void notifyMirroring(long poolId, String namespace, Buffer payload) {
        store.watches.notify(Watches.objectKey(poolId, namespace, MirrorRecords.MIRRORING_OBJECT), payload);
    }

    // --- modes ---

    Future<MirrorMode> modeGet(PoolNamespace where) {
        return tx(t -> MirrorRecords.mode(t, ClusterStore.poolNamespace(t, where.pool(), where.namespace()),
            where.namespace()));
    }

    /** What a mode change still has to do after its first transaction. */
    private record ModeChange(long poolId, boolean changed, List<String> imagesToDisable, List<String> enabledImages) {
    }

    /** librbd {@code Mirror::mode_set}; every refusal is checked before anything changes. */
    Future<Void> modeSet(PoolNamespace where, MirrorMode next) {
        String ns = where.namespace();
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), ns);
            if (next == MirrorMode.DISABLED && ns.isEmpty() && !MirrorRecords.peers(t, poolId).isEmpty()) {
                throw new ClusterException(Errno.EBUSY, API + "mode_set: mirror peers still registered");
            }
            MirrorMode current = MirrorRecords.mode(t, poolId, ns);
            if (current == next) {
                return new ModeChange(poolId, false, List.of(), List.of());
            }
            if (next != MirrorMode.DISABLED && !ns.isEmpty() && MirrorRecords.mode(t, poolId, "") == MirrorMode.DISABLED) {
                throw ClusterException.invalid("cls_rbd: mirror_mode_set: cannot enable mirroring in namespace when"
                    + " pool mirroring is disabled\n" + API + "mode_set: failed to set mirror mode to image: "
                    + Errno.EINVAL.describe());
            }
            if (next == MirrorMode.DISABLED) {
                return planDisable(t, poolId, ns, current);
            }
            if (current == MirrorMode.DISABLED && ns.isEmpty()) {
                MirrorRecords.setMirrorUuid(t, poolId, UUID.randomUUID().toString());
            }
            MirrorRecords.setMode(t, poolId, ns, next);
            List<String> enabled = new ArrayList<>();
            if (next == MirrorMode.POOL) {
                enabled.addAll(enableJournaledImages(t, poolId, ns));
            }
            return new ModeChange(poolId, true, List.of(), enabled);
        }).compose(change -> disableImages(where, change.imagesToDisable()).map(change))
            .compose(change -> {
                if (change.imagesToDisable().isEmpty()) {
                    return Future.succeededFuture(change);
                }
                return tx(t -> {
                    finishDisable(t, change.poolId(), ns);
                    return change;
                });
            }).map(change -> {
                if (change.changed()) {
                    for (String imageId : change.enabledImages()) {
                        store.watches.notify(Watches.imageKey(imageId), Buffer.buffer());
                    }
                    notifyMirroring(change.poolId(), ns, MirrorNotifications.modeUpdated(next));
                }
                return null;
            });
    }

    private ModeChange planDisable(Metadata.Tx t, long poolId, String ns, MirrorMode current) throws SQLException {
        if (ns.isEmpty() && MirrorRecords.anyNamespaceMirrored(t, poolId)) {
            throw new ClusterException(Errno.EBUSY, "cls_rbd: mirror_mode_set: namespaces of the pool still have"
                + " mirroring enabled\n" + API + "mode_set: failed to set mirror mode: " + Errno.EBUSY.describe());
        }
        List<ImageRow> images = MirrorRecords.images(t, poolId, ns);
        if (current == MirrorMode.IMAGE && images.stream().anyMatch(i -> i.state() == MirrorImageState.ENABLED)) {
            throw ClusterException.invalid(API + "mode_set: failed to disable mirror mode: there are still images"
                + " with mirroring enabled");
        }
        for (ImageRow image : images) {
            if (MirrorRecords.promotion(t, image) != Promotion.PRIMARY) {
                throw ClusterException.invalid(ImageMirroring.notPrimaryToDisable(API + "mode_set: error disabling"
                    + " mirroring for image id " + image.imageId() + Errno.EINVAL.describe()));
            }
        }
        if (images.isEmpty()) {
            finishDisable(t, poolId, ns);
        }
        return new ModeChange(poolId, true, images.stream().map(ImageRow::imageId).toList(), List.of());
    }

    private static void finishDisable(Metadata.Tx t, long poolId, String ns) throws SQLException {
        MirrorRecords.setMode(t, poolId, ns, MirrorMode.DISABLED);
        if (ns.isEmpty()) {
            MirrorRecords.setMirrorUuid(t, poolId, null);
        }
    }

    /** Pool mode mirrors every image with journaling, in journal mode. */
    private static List<String> enableJournaledImages(Metadata.Tx t, long poolId, String ns) throws SQLException {
        List<String> candidates = t.query("SELECT id, features FROM images WHERE pool_id = ? AND namespace = ?"
                + " ORDER BY id", r -> (r.getLong(2) & ImageFeature.JOURNALING.bit()) != 0 ? r.getString(1) : null,
            poolId, ns);
        List<String> enabled = new ArrayList<>();
        for (String imageId : candidates) {
            if (imageId != null && MirrorRecords.image(t, imageId).isEmpty()) {
                MirrorRecords.enableImage(t, imageId, MirrorImageMode.JOURNAL);
                enabled.add(imageId);
            }
        }
        return enabled;
    }

    /** Disables the mirroring of each image in turn, through a handle on it (its snapshots and features change). */
    private Future<Void> disableImages(PoolNamespace where, List<String> imageIds) {
        Future<Void> done = Future.succeededFuture();
        for (String imageId : imageIds) {
            done = done.compose(v -> cluster.openImageById(where, imageId)).compose(image -> {
                EmbeddedImage handle = (EmbeddedImage) image;
                return handle.mirrorDisableForPool()
                    .transform(result -> handle.close().transform(closed -> result.succeeded()
                        ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.cause())));
            });
        }
        return done;
    }

    /** In the transaction creating an image: in a pool-mode pool, an image with journaling is mirrored at once. */
    static Runnable onImageCreated(Metadata.Tx t, ClusterStore store, String imageId, ImageSpec spec,
                                   java.util.Set<ImageFeature> features) throws SQLException {
        long poolId = ClusterStore.poolNamespace(t, spec.pool(), spec.namespace());
        if (!features.contains(ImageFeature.JOURNALING)
            || MirrorRecords.mode(t, poolId, spec.namespace()) != MirrorMode.POOL) {
            return () -> { };
        }
        String globalId = MirrorRecords.enableImage(t, imageId, MirrorImageMode.JOURNAL);
        return () -> store.watches.notify(Watches.objectKey(poolId, spec.namespace(), MirrorRecords.MIRRORING_OBJECT),
            MirrorNotifications.imageUpdated(MirrorImageState.ENABLED, imageId, globalId));
    }

    /**
     * In the transaction removing an image: a non-primary mirrored image is refused (librbd's
     * removal disables mirroring without force); otherwise its mirror record and statuses go.
     */
    static Runnable onImageRemoved(Metadata.Tx t, ClusterStore store, String imageId) throws SQLException {
        Optional<ImageRow> row = MirrorRecords.image(t, imageId);
        if (row.isEmpty()) {
            return () -> { };
        }
        if (MirrorRecords.promotion(t, row.get()) != Promotion.PRIMARY) {
            throw ClusterException.invalid(ImageMirroring.notPrimaryToDisable(
                "librbd::image::RemoveRequest: error disabling image mirroring: " + Errno.EINVAL.describe()));
        }
        MirrorRecords.disableImage(t, row.get());
        ImageRow image = row.get();
        return () -> store.watches.notify(Watches.objectKey(image.poolId(), image.namespace(),
            MirrorRecords.MIRRORING_OBJECT), MirrorNotifications.imageUpdated(MirrorImageState.DISABLED, imageId,
            image.globalId()));
    }

    // --- remote namespace, uuid, site name ---

    Future<String> remoteNamespaceGet(PoolNamespace where) {
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            String remote = MirrorRecords.remoteNamespace(t, poolId, where.namespace());
            return remote.isEmpty() ? where.namespace() : remote;
        });
    }

    Future<Void> remoteNamespaceSet(PoolNamespace where, String remoteNamespace) {
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            String remote = remoteNamespace == null ? "" : remoteNamespace;
            if (!remote.isEmpty()) {
                Names.checkNamespace(remote);
            }
            if (MirrorRecords.mode(t, poolId, where.namespace()) != MirrorMode.DISABLED) {
                // cls_rbd: the pair cannot change under images being mirrored
                throw ClusterException.invalid(API + "remote_namespace_set: failed to set remote mirror namespace: "
                    + Errno.EINVAL.describe());
            }
            MirrorRecords.setRemoteNamespace(t, poolId, where.namespace(), remote);
            return null;
        });
    }

    Future<String> uuidGet(String pool) {
        return tx(t -> MirrorRecords.mirrorUuid(t, ClusterStore.poolId(t, pool))
            .orElseThrow(() -> ClusterException.notFound("mirroring is not enabled on pool '" + pool
                + "': it has no mirror uuid")));
    }

    /** librbd {@code Mirror::site_name_get}: the fsid until a name is set. */
    Future<String> siteNameGet() {
        return tx(this::siteName);
    }

    private String siteName(Metadata.Tx t) throws SQLException {
        return t.queryOne("SELECT value FROM config_keys WHERE key = ?", r -> r.getString(1),
            MirrorRecords.SITE_NAME_KEY).filter(name -> !name.isEmpty()).orElse(store.fsid);
    }

    /** Sets the site name (trimmed); an empty name goes back to the fsid. */
    Future<Void> siteNameSet(String siteName) {
        String name = siteName == null ? "" : siteName.strip();
        return tx(t -> {
            if (name.isEmpty()) {
                t.update("DELETE FROM config_keys WHERE key = ?", MirrorRecords.SITE_NAME_KEY);
            } else {
                t.update("INSERT OR REPLACE INTO config_keys (key, value) VALUES (?, ?)", MirrorRecords.SITE_NAME_KEY,
                    name);
            }
            return null;
        });
    }

    // --- peers ---

    /** librbd {@code Mirror::peer_site_add} with cls_rbd's {@code mirror_peer_add} checks. */
    Future<String> peerSiteAdd(String pool, String siteName, String clientName, MirrorPeerDirection direction) {
        return tx(t -> {
            long poolId = ClusterStore.poolId(t, pool);
            String site = siteName == null ? "" : siteName.strip();
            if (site.isEmpty()) {
                throw ClusterException.invalid(API + "peer_site_add: a peer needs a site name");
            }
            if (site.equals(siteName(t))) {
                throw ClusterException.invalid(API + "peer_site_add: cannot add self as remote peer");
            }
            if (MirrorRecords.mode(t, poolId, "") == MirrorMode.DISABLED) {
                throw ClusterException.invalid("cls_rbd: mirror_peer_add: mirroring must be enabled on the pool\n"
                    + API + "peer_site_add: failed to add mirror peer '" + site + "': " + Errno.EINVAL.describe());
            }
            if (direction == MirrorPeerDirection.TX_ONLY) {
                throw ClusterException.invalid(API + "peer_site_add: a tx-only peer cannot be added; a peer's daemon"
                    + " announces itself as one");
            }
            if (MirrorRecords.peers(t, poolId).stream().anyMatch(p -> p.siteName().equals(site))) {
                throw ClusterException.exists(API + "peer_site_add: failed to add mirror peer '" + site + "': "
                    + Errno.EEXIST.describe());
            }
            String uuid = UUID.randomUUID().toString();
            MirrorRecords.addPeer(t, poolId, new MirrorPeer(uuid, direction, site, "",
                clientName == null ? "" : clientName, null));
            return Map.entry(poolId, uuid);
        }).map(added -> {
            notifyMirroring(added.getKey(), "", MirrorNotifications.peersUpdated());
            return added.getValue();
        });
    }

    /**
     * librbd {@code Mirror::peer_site_remove}: a missing peer is not an error; its attributes go too,
     * and it is unlinked from the mirror-snapshots of every image of the pool.
     */
    Future<Void> peerSiteRemove(String pool, String uuid) {
        return tx(t -> {
            long poolId = ClusterStore.poolId(t, pool);
            boolean removed = MirrorRecords.removePeer(t, poolId, uuid);
            List<Map.Entry<PoolNamespace, String>> linked = t.query("SELECT DISTINCT i.namespace, i.id FROM snaps s"
                    + " JOIN images i ON i.id = s.image_id WHERE i.pool_id = ? AND s.mirror IS NOT NULL ORDER BY i.id",
                r -> Map.entry(new PoolNamespace(pool, r.getString(1)), r.getString(2)), poolId);
            return new PeerRemoval(poolId, removed, linked);
        }).compose(removal -> unlinkFromImages(removal.linkedImages(), uuid).map(removal))
            .map(removal -> {
                if (removal.removed()) {
                    notifyMirroring(removal.poolId(), "", MirrorNotifications.peersUpdated());
                }
                return null;
            });
    }

    private record PeerRemoval(long poolId, boolean removed, List<Map.Entry<PoolNamespace, String>> linkedImages) {
    }

    private Future<Void> unlinkFromImages(List<Map.Entry<PoolNamespace, String>> images, String peerUuid) {
        Future<Void> done = Future.succeededFuture();
        for (Map.Entry<PoolNamespace, String> image : images) {
            done = done.compose(v -> cluster.openImageById(image.getKey(), image.getValue())).compose(opened -> {
                EmbeddedImage handle = (EmbeddedImage) opened;
                return handle.mirrorUnlinkPeerEverywhere(peerUuid)
                    .transform(result -> handle.close().transform(closed -> result.succeeded()
                        ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.cause())));
            });
        }
        return done;
    }

    /** How a peer changes, decided inside the transaction that stores it. */
    @FunctionalInterface
    interface PeerChange {
        MirrorPeer apply(Metadata.Tx t, long poolId, MirrorPeer current) throws SQLException;
    }

    /** librbd {@code Mirror::peer_site_set_*}: one peer field changed; ENOENT for an unknown uuid. */
    Future<Void> peerSiteUpdate(String pool, String uuid, String operation, PeerChange change) {
        return tx(t -> {
            long poolId = ClusterStore.poolId(t, pool);
            MirrorPeer current = MirrorRecords.peer(t, poolId, uuid).orElseThrow(() -> ClusterException.notFound(
                API + "peer_site_" + operation + ": mirror peer " + uuid + " does not exist"));
            MirrorRecords.updatePeer(t, poolId, change.apply(t, poolId, current));
            return poolId;
        }).map(poolId -> {
            notifyMirroring(poolId, "", MirrorNotifications.peersUpdated());
            return null;
        });
    }

    /** Renaming a peer: not to this site's own name, nor to another peer's (cls_rbd {@code mirror_peer_set_cluster}). */
    Future<Void> peerSiteSetName(String pool, String uuid, String siteName) {
        String site = siteName == null ? "" : siteName.strip();
        return peerSiteUpdate(pool, uuid, "set_name", (t, poolId, peer) -> {
            if (site.isEmpty()) {
                throw ClusterException.invalid(API + "peer_site_set_name: a peer needs a site name");
            }
            if (site.equals(siteName(t))) {
                throw ClusterException.invalid(API + "peer_site_set_name: cannot set self as remote peer");
            }
            if (MirrorRecords.peers(t, poolId).stream().anyMatch(p -> !p.uuid().equals(uuid) && p.siteName().equals(site))) {
                throw ClusterException.exists(API + "peer_site_set_name: failed to update site name '" + site + "': "
                    + Errno.EEXIST.describe());
            }
            return new MirrorPeer(peer.uuid(), peer.direction(), site, peer.mirrorUuid(), peer.clientName(),
                peer.lastSeen());
        });
    }

    Future<List<MirrorPeer>> peerSiteList(String pool) {
        return tx(t -> MirrorRecords.peers(t, ClusterStore.poolId(t, pool)));
    }

    /** librbd {@code Mirror::peer_site_get_attributes}: from config-key {@code rbd/mirror/peer/<pool id>/<uuid>}. */
    Future<Map<String, String>> peerSiteGetAttributes(String pool, String uuid) {
        return tx(t -> {
            long poolId = ClusterStore.poolId(t, pool);
            String json = t.queryOne("SELECT value FROM config_keys WHERE key = ?", r -> r.getString(1),
                    MirrorRecords.peerAttributesKey(poolId, uuid)).filter(v -> !v.isEmpty())
                .orElseThrow(() -> ClusterException.notFound(""));
            return parseAttributes(json);
        });
    }

    private static Map<String, String> parseAttributes(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            Map<String, String> attributes = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException(e.getKey() + " is not a string");
                }
                attributes.put(e.getKey(), e.getValue().asText());
            }
            return attributes;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ClusterException.invalid(API + "peer_site_get_attributes: invalid peer attributes JSON received");
        }
    }

    /** librbd {@code Mirror::peer_site_set_attributes}: the peer must exist; the map replaces what was stored. */
    Future<Void> peerSiteSetAttributes(String pool, String uuid, Map<String, String> attributes) {
        return store.executor.run(store.lane, () -> {
            String json = JSON.writeValueAsString(new TreeMap<>(attributes));
            return store.metadata.transaction(t -> {
                long poolId = ClusterStore.poolId(t, pool);
                if (MirrorRecords.peer(t, poolId, uuid).isEmpty()) {
                    throw ClusterException.notFound("mirror peer uuid " + uuid + " does not exist");
                }
                t.update("INSERT OR REPLACE INTO config_keys (key, value) VALUES (?, ?)",
                    MirrorRecords.peerAttributesKey(poolId, uuid), json);
                return null;
            });
        });
    }

    /**
     * cls_rbd {@code mirror_peer_ping}: the peer of that site learns the daemon's mirror uuid and when
     * it was last seen; an unknown site becomes a tx-only peer (the primary learns its receivers so).
     */
    Future<Void> peerPing(String pool, String siteName, String mirrorUuid) {
        return tx(t -> {
            long poolId = ClusterStore.poolId(t, pool);
            if (siteName == null || siteName.isEmpty() || mirrorUuid == null || mirrorUuid.isEmpty()) {
                throw ClusterException.invalid("cls_rbd: mirror_peer_ping: site name and mirror uuid are required");
            }
            Instant now = clock.instant();
            List<MirrorPeer> peers = MirrorRecords.peers(t, poolId);
            if (peers.stream().anyMatch(p -> !p.siteName().equals(siteName) && p.mirrorUuid().equals(mirrorUuid))) {
                throw ClusterException.exists("cls_rbd: mirror_peer_ping: mirror uuid " + mirrorUuid
                    + " already belongs to another peer");
            }
            Optional<MirrorPeer> known = peers.stream().filter(p -> p.siteName().equals(siteName)).findFirst();
            if (known.isPresent()) {
                MirrorPeer p = known.get();
                MirrorRecords.updatePeer(t, poolId, new MirrorPeer(p.uuid(), p.direction(), p.siteName(), mirrorUuid,
                    p.clientName(), now));
                return known.get().mirrorUuid().equals(mirrorUuid) ? null : poolId;
            }
            MirrorRecords.addPeer(t, poolId, new MirrorPeer(UUID.randomUUID().toString(), MirrorPeerDirection.TX_ONLY,
                siteName, mirrorUuid, "", now));
            return poolId;
        }).map(changedPool -> {
            if (changedPool != null) {
                notifyMirroring(changedPool, "", MirrorNotifications.peersUpdated());
            }
            return null;
        });
    }

    // --- bootstrap ---

    Future<String> peerBootstrapCreate(String pool) {
        return bootstrap.create(pool);
    }

    Future<Void> peerBootstrapImport(String pool, MirrorPeerDirection direction, String token) {
        return bootstrap.importToken(pool, direction, token);
    }

    /** Inside a transaction: the pool's mirror mode (its default namespace). */
    Future<MirrorMode> poolMode(String pool) {
        return modeGet(PoolNamespace.of(pool));
    }

    // --- images and statuses ---

    Future<Map<String, MirrorImageInfo>> imageInfoList(PoolNamespace where) {
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            Map<String, MirrorImageInfo> infos = new LinkedHashMap<>();
            for (ImageRow row : MirrorRecords.images(t, poolId, where.namespace())) {
                if (row.state() == MirrorImageState.ENABLED) {
                    infos.put(row.imageId(), ImageMirroring.infoOf(t, row));
                }
            }
            return infos;
        });
    }

    Future<List<MirrorImageGlobalStatus>> imageGlobalStatusList(PoolNamespace where) {
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            Instant now = clock.instant();
            List<MirrorImageGlobalStatus> statuses = new ArrayList<>();
            for (ImageRow row : MirrorRecords.images(t, poolId, where.namespace())) {
                statuses.add(new MirrorImageGlobalStatus(row.name(), row.imageId(), ImageMirroring.infoOf(t, row),
                    MirrorStatuses.of(t, poolId, where.namespace(), row.globalId(), now)));
            }
            return statuses;
        });
    }

    /**
     * cls_rbd {@code mirror_image_status_get_summary} as 16.2 counts: each mirrored image once, by the
     * up statuses from this site and (for the default namespace) from receiving peers with a known
     * mirror uuid; a {@code stopped} status gives way to another site's state; no up status counts as
     * unknown.
     */
    Future<Map<MirrorImageStatusState, Integer>> imageStatusSummary(PoolNamespace where) {
        return imageGlobalStatusList(where).compose(images -> tx(t -> {
            long poolId = ClusterStore.poolId(t, where.pool());
            List<String> sites = new ArrayList<>(List.of(""));
            if (where.namespace().isEmpty()) {
                MirrorRecords.peers(t, poolId).stream()
                    .filter(p -> !p.mirrorUuid().isEmpty() && p.direction() != MirrorPeerDirection.TX_ONLY)
                    .forEach(p -> sites.add(p.mirrorUuid()));
            }
            Map<MirrorImageStatusState, Integer> states = new TreeMap<>();
            for (MirrorImageGlobalStatus image : images) {
                states.merge(summaryState(image.siteStatuses(), sites), 1, Integer::sum);
            }
            return states;
        }));
    }

    static MirrorImageStatusState summaryState(List<MirrorImageSiteStatus> statuses, List<String> sites) {
        MirrorImageStatusState state = MirrorImageStatusState.UNKNOWN;
        for (String site : sites) {
            for (MirrorImageSiteStatus status : statuses) {
                if (status.mirrorUuid().equals(site) && status.up()
                    && (state == MirrorImageStatusState.UNKNOWN || state == MirrorImageStatusState.STOPPED)) {
                    state = status.state();
                }
            }
        }
        return state;
    }

    Future<Void> imageStatusSet(PoolNamespace where, String globalId, MirrorImageSiteStatus status) {
        return tx(t -> {
            // cls_rbd's mirror_image_status_set keys the status by global id and does not look for the
            // image: rbd-mirror reports a copy before creating it. Listings go by image, so a status
            // shows once an image has that global id; disabling or removing a pool drops it.
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            if (globalId == null || globalId.isBlank()) {
                throw ClusterException.invalid("a mirror image status needs a global id");
            }
            MirrorStatuses.set(t, poolId, where.namespace(), globalId, status, clock.instant());
            return null;
        });
    }

    Future<Void> imageStatusRemove(PoolNamespace where, String globalId, String mirrorUuid) {
        return tx(t -> {
            long poolId = ClusterStore.poolNamespace(t, where.pool(), where.namespace());
            MirrorStatuses.remove(t, poolId, where.namespace(), globalId, mirrorUuid);
            return null;
        });
    }

    Cluster cluster() {
        return cluster;
    }
}
