package io.mirrorhost.replayer;

import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The images of one mirrored namespace (rbd-mirror's NamespaceReplayer with its PoolWatchers): every
 * image mirrored in snapshot mode on either site is offered to the site's instances, and each image
 * assigned to this one gets an {@link ImageReplayer} writing under the image's fence token. Changes
 * arrive as notifications on both sites' {@code rbd_mirroring} objects; {@link #refresh()} on the pool
 * replayer's period is the safety net.
 */
final class NamespaceReplayer {
    static final String MIRRORING_OBJECT = "rbd_mirroring";

    private final ReplaySettings settings;
    private final AssignedImages assigned;
    private final String scope;
    private final Map<String, ImageReplayer> images = new LinkedHashMap<>();
    /** The fence token each image's replayer writes under. */
    private final Map<String, FenceToken> tokens = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private boolean refreshing;
    private boolean again;
    private boolean stopped;

    NamespaceReplayer(ReplaySettings settings, AssignedImages assigned) {
        this.settings = settings;
        this.assigned = assigned;
        this.scope = AssignedImages.scope(settings.localNamespace());
    }

    ReplaySettings settings() {
        return settings;
    }

    Map<String, ImageReplayer> images() {
        return images;
    }

    Future<Void> start() {
        assigned.attach(scope, this);
        Future<Watch> remote = settings.remote().watch(settings.remoteNamespace(), MIRRORING_OBJECT, this::notified);
        Future<Watch> local = settings.local().watch(settings.localNamespace(), MIRRORING_OBJECT, this::notified);
        return Future.join(remote, local).transform(ar -> {
            if (remote.succeeded()) {
                watches.add(remote.result());
            }
            if (local.succeeded()) {
                watches.add(local.result());
            }
            refresh();
            return Future.succeededFuture();
        });
    }

    /**
     * A change of one image (its global id named in the notification) kicks that image only; any
     * other change (mode, peers, a payload this backend words differently) looks at every image.
     */
    private void notified(Buffer payload) {
        String globalId = imageOf(payload);
        if (globalId == null) {
            refresh();
            return;
        }
        settings.context().runOnContext(v -> {
            ImageReplayer known = images.get(globalId);
            if (known != null) {
                known.kick();
            } else {
                refresh();
            }
        });
    }

    /** The global id an {@code image_updated} notification names, or null. */
    static String imageOf(Buffer payload) {
        try {
            JsonObject json = payload == null || payload.length() == 0 ? null : payload.toJsonObject();
            if (json != null && "image_updated".equals(json.getString("type"))) {
                return json.getString("global_image_id");
            }
        } catch (RuntimeException notJson) {
            // another backend's wording: treated as "something changed"
        }
        return null;
    }

    /** Lists both sites' mirrored images, starts replayers for new ones and kicks every replayer. */
    void refresh() {
        settings.context().runOnContext(v -> {
            if (stopped) {
                return;
            }
            if (refreshing) {
                again = true;
                return;
            }
            refreshing = true;
            list().onComplete(ar -> {
                if (ar.succeeded()) {
                    reconcile(ar.result());
                } else {
                    settings.logger().warn("namespace {}: listing mirrored images failed: {}",
                            settings.localNamespace(), ar.cause().getMessage());
                }
                refreshing = false;
                if (again) {
                    again = false;
                    refresh();
                }
            });
        });
    }

    private Future<TreeSet<String>> list() {
        Future<Map<String, MirrorImageInfo>> remote = settings.remote().mirrorImageInfoList(settings.remoteNamespace());
        Future<Map<String, MirrorImageInfo>> local = settings.local().mirrorImageInfoList(settings.localNamespace());
        Promise<TreeSet<String>> ids = Promise.promise();
        Future.all(remote, local).onComplete(ar -> settings.context().runOnContext(v -> {
            if (ar.failed()) {
                ids.fail(ar.cause());
                return;
            }
            TreeSet<String> globalIds = new TreeSet<>();
            for (Map<String, MirrorImageInfo> infos : List.of(remote.result(), local.result())) {
                infos.values().stream().filter(i -> i.mode() == MirrorImageMode.SNAPSHOT)
                        .forEach(i -> globalIds.add(i.globalId()));
            }
            ids.complete(globalIds);
        }));
        return ids.future();
    }

    /**
     * Offers the images listed, and those whose replayer has not finished yet (it propagates a deletion
     * or records the last statuses), then starts replayers for the ones assigned here.
     */
    private void reconcile(TreeSet<String> globalIds) {
        images.values().removeIf(ImageReplayer::finished);
        tokens.keySet().retainAll(images.keySet());
        TreeSet<String> offered = new TreeSet<>(globalIds);
        offered.addAll(images.keySet());
        assigned.offer(scope, offered);
        for (String id : offered) {
            assigned.token(scope, id).filter(token -> !images.containsKey(id)).ifPresent(token -> replay(id, token));
        }
        // replayers of images gone from both sites find that out themselves and finish
        images.values().forEach(ImageReplayer::kick);
    }

    /**
     * An image was assigned to this instance: its replay starts, from the progress its copy committed. A
     * replayer of the image under an older token is stopped first (its writes would be refused).
     */
    void acquired(String globalId, FenceToken token) {
        settings.context().runOnContext(v -> {
            ImageReplayer running = images.get(globalId);
            if (stopped || token.equals(tokens.get(globalId))) {
                return;
            }
            if (running == null) {
                replay(globalId, token).kick();
                return;
            }
            images.remove(globalId);
            tokens.remove(globalId);
            running.handOver().onComplete(ar -> settings.context().runOnContext(x -> {
                if (!stopped && !images.containsKey(globalId)
                        && assigned.token(scope, globalId).filter(token::equals).isPresent()) {
                    replay(globalId, token).kick();
                }
            }));
        });
    }

    private ImageReplayer replay(String globalId, FenceToken token) {
        ImageReplayer replayer = new ImageReplayer(settings.fencedBy(token), globalId);
        images.put(globalId, replayer);
        tokens.put(globalId, token);
        return replayer;
    }

    /** An image moves to another instance: completes once its replay stopped and its writes completed. */
    Future<Void> release(String globalId) {
        Promise<Void> done = Promise.promise();
        settings.context().runOnContext(v -> {
            ImageReplayer replayer = images.remove(globalId);
            tokens.remove(globalId);
            (replayer == null ? Future.<Void>succeededFuture() : replayer.handOver()).onComplete(ar -> done.complete());
        });
        return done.future();
    }

    /** Rewrites every image's status, as rbd-mirror's status updater does every 30 s. */
    void republish() {
        settings.context().runOnContext(v -> images.values().forEach(ImageReplayer::republish));
    }

    Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        settings.context().runOnContext(v -> {
            stopped = true;
            assigned.detach(scope, this);
            List<Future<Void>> closing = new ArrayList<>();
            watches.forEach(w -> closing.add(w.close()));
            watches.clear();
            images.values().forEach(r -> closing.add(r.stop()));
            Future.join(closing).onComplete(ar -> done.complete());
        });
        return done.future();
    }
}
