package io.mirrorhost.schedule;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A level schedules stand at (Ceph's {@code LevelSpec}): global, a pool, a namespace of a pool, or
 * an image. {@code id} is the omap key Ceph uses ({@code ""}, {@code POOLID}, {@code POOLID/NS},
 * {@code POOLID/NS/IMAGEID}); {@code name} what users see ({@code ""}, {@code rbd/}, {@code rbd/ns/},
 * {@code rbd/img}, {@code rbd/ns/img}). A null namespace means "not at namespace level or below";
 * the empty namespace is the pool's default one.
 */
public record LevelSpec(String name, String id, String poolId, String namespace, String imageId) {

    private static final Pattern NAME = Pattern.compile("^(?:([^/]+)/(?:(?:([^/]*)/|)(?:([^/@]+))?)?)?$");
    private static final Pattern ID = Pattern.compile("^(?:([0-9]+)(?:/([^/]*)(?:/([^/@]+))?)?)?$");

    public LevelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
    }

    public static LevelSpec global() {
        return new LevelSpec("", "", null, null, null);
    }

    /** A pool level ({@code namespace == null}) or a namespace level. */
    public static LevelSpec ofPool(String poolId, String poolName, String namespace) {
        if (namespace == null) {
            return new LevelSpec(poolName + "/", poolId, poolId, null, null);
        }
        return new LevelSpec(poolName + "/" + namespace + "/", poolId + "/" + namespace, poolId, namespace, null);
    }

    public boolean isGlobal() {
        return poolId == null;
    }

    public boolean isImage() {
        return imageId != null;
    }

    /** Whether this level lies strictly below {@code parent}. */
    public boolean isChildOf(LevelSpec parent) {
        if (parent.isGlobal()) {
            return !isGlobal();
        }
        if (!parent.poolId.equals(poolId)) {
            return false;
        }
        if (parent.namespace == null) {
            return namespace != null;
        }
        if (!parent.namespace.equals(namespace)) {
            return false;
        }
        if (parent.imageId == null) {
            return imageId != null;
        }
        return false;
    }

    /**
     * Whether an image lies at or below this level, with Ceph's quirk: an empty namespace (the
     * default namespace level) matches every namespace of the pool.
     */
    public boolean matches(String pool, String ns, String image) {
        if (poolId != null && !poolId.equals(pool)) {
            return false;
        }
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(ns)) {
            return false;
        }
        return imageId == null || imageId.equals(image);
    }

    /** Whether one level contains the other. */
    public boolean intersects(LevelSpec other) {
        if (poolId == null || other.poolId == null) {
            return true;
        }
        if (!poolId.equals(other.poolId)) {
            return false;
        }
        if (namespace == null || other.namespace == null) {
            return true;
        }
        if (!namespace.equals(other.namespace)) {
            return false;
        }
        return imageId == null || other.imageId == null || imageId.equals(other.imageId);
    }

    /** Level specs are equal when their ids are (Ceph's {@code __eq__}). */
    public boolean sameLevel(LevelSpec other) {
        return id.equals(other.id);
    }

    /**
     * The parts of a level name as users write it ({@code ''}, {@code rbd/}, {@code rbd/ns/},
     * {@code rbd//image}, {@code rbd/image}, {@code rbd/ns/image}), before pool and image lookup.
     *
     * @param pool      the pool name, or null for the global level
     * @param namespace null unless the name reaches namespace level or below ({@code ""} = default)
     * @param image     the image name, or null
     */
    public record Name(String pool, String namespace, String image) {
        public static Name parse(String text) {
            Matcher m = NAME.matcher(text);
            if (!m.matches()) {
                throw new ScheduleException("failed to parse " + text);
            }
            String pool = m.group(1);
            String image = m.group(3);
            String namespace = null;
            if (pool != null && (m.group(2) != null || image != null)) {
                namespace = m.group(2) == null ? "" : m.group(2);
            }
            return new Name(pool, namespace, image);
        }
    }

    /** The parts of a stored level id ({@code 123}, {@code 123/}, {@code 123/ns}, {@code 123//imageid}). */
    public record Id(String poolId, String namespace, String imageId) {
        public static Id parse(String text) {
            Matcher m = ID.matcher(text);
            if (!m.matches()) {
                throw new ScheduleException("failed to parse: " + text);
            }
            String pool = m.group(1);
            String image = m.group(3);
            String namespace = null;
            if (pool != null && (m.group(2) != null || image != null)) {
                namespace = m.group(2) == null ? "" : m.group(2);
            }
            return new Id(pool, namespace, image);
        }
    }
}
