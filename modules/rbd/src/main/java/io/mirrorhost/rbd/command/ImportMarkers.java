package io.mirrorhost.rbd.command;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.KeyValueStore;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ImageInfo;
import io.mirrorhost.api.cluster.ImageSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Which images this instance is importing, kept in the module's store so that an import cut short by
 * the host's death is undone when the host starts again: rbd removes an image whose import failed, and
 * a killed host must not leave a full-size image without its data, listed as a normal one. A marker is
 * written before the image is created (with the time), given the image's id once it exists, and
 * removed when the import ends either way.
 */
public final class ImportMarkers {
    private static final String PREFIX = "import/";

    private final KeyValueStore store;
    private final String instance;

    ImportMarkers(ModuleContext context) {
        this.store = context.store();
        this.instance = context.site().instanceName();
    }

    /** The import of {@code spec} begins at {@code since}: no image of ours exists yet. */
    Future<Void> begin(ImageSpec spec, Instant since) {
        return store.put(key(spec), marker(spec, since, null).encode());
    }

    /** The image exists with {@code id}: from now on a restart removes exactly it. */
    Future<Void> created(ImageSpec spec, Instant since, String id) {
        return store.put(key(spec), marker(spec, since, id).encode());
    }

    /** The import ended: completed, or failed and its image removed. */
    Future<Void> end(ImageSpec spec) {
        return store.remove(key(spec));
    }

    /** Removes the images of this instance's imports that a previous run left unfinished, one at a time. */
    public static Future<Void> recover(ModuleContext context) {
        ImportMarkers markers = new ImportMarkers(context);
        return markers.store.list(markers.ownPrefix()).compose(found -> {
            Future<Void> chain = Future.succeededFuture();
            for (Map.Entry<String, String> entry : found.entrySet()) {
                chain = chain.compose(v -> markers.undo(context.cluster(), new JsonObject(entry.getValue()))
                        .compose(w -> markers.store.remove(entry.getKey()))
                        .onSuccess(w -> context.logger().warn("removed image {}: its import was cut short",
                                entry.getValue())));
            }
            return chain;
        });
    }

    private Future<Void> undo(Cluster cluster, JsonObject marker) {
        ImageSpec spec = ImageSpec.of(marker.getString("pool"), marker.getString("namespace"),
                marker.getString("image"));
        return cluster.openImage(spec)
                .compose(image -> image.info().eventually(image::close))
                .compose(info -> isHalfImport(info, marker.getString("id"), Instant.parse(marker.getString("since")))
                        ? cluster.removeImage(spec) : Future.succeededFuture())
                .recover(failure -> Failures.errno(failure) == Errno.ENOENT ? Future.succeededFuture()
                        : Future.failedFuture(failure));
    }

    /**
     * Whether {@code info} is the image an unfinished import created: the one with the recorded id, or,
     * when the host died before it learnt the id, one created since the import began (to the second,
     * as clusters keep creation times).
     */
    static boolean isHalfImport(ImageInfo info, String id, Instant since) {
        if (id != null) {
            return info.id().equals(id);
        }
        return !info.createTimestamp().isBefore(since.truncatedTo(ChronoUnit.SECONDS));
    }

    private String ownPrefix() {
        return PREFIX + instance + "/";
    }

    private String key(ImageSpec spec) {
        return ownPrefix() + spec.pool() + "/" + spec.namespace() + "/" + spec.name();
    }

    private static JsonObject marker(ImageSpec spec, Instant since, String id) {
        return new JsonObject().put("pool", spec.pool()).put("namespace", spec.namespace()).put("image", spec.name())
                .put("since", since.toString()).put("id", id);
    }
}
