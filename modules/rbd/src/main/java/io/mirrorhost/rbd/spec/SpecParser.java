package io.mirrorhost.rbd.spec;

import io.mirrorhost.api.CommandException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rbd's image-spec and pool-spec rules ({@code src/tools/rbd/Utils.cc}: {@code extract_spec},
 * {@code get_pool_image_snapshot_names}, {@code get_pool_and_namespace_names}), with its error
 * messages. Free of I/O; the mirroring commands reuse it.
 */
public final class SpecParser {

    /** How strictly names inside a spec are checked. */
    public enum Validation {
        /** No {@code /} or {@code @} in any name (creating, renaming, importing). */
        FULL("^(?:([^/@]+)/(?:([^/@]+)/)?)?([^/@]+)(?:@([^/@]+))?$"),
        /** No {@code /} or {@code @} in the snapshot name (creating a snapshot). */
        SNAP("^(?:([^/]+)/(?:([^/@]+)/)?)?([^@]+)(?:@([^/@]+))?$"),
        /** Pool before the first {@code /}, namespace before the second, snapshot after the first {@code @}. */
        NONE("^(?:([^/]+)/(?:([^/@]+)/)?)?([^@]+)(?:@(.+))?$");

        private final Pattern pattern;

        Validation(String regex) {
            this.pattern = Pattern.compile(regex);
        }
    }

    /** Whether the command takes a snapshot name. */
    public enum SnapshotPresence { NONE, PERMITTED, REQUIRED }

    /** Which spec of the command is parsed: the only one, the source or the destination. */
    public enum Modifier {
        NONE("pool", "namespace", "image", "snap", ""),
        SOURCE("pool", "namespace", "image", "snap", "source "),
        DEST("dest-pool", "dest-namespace", "dest", "dest-snap", "destination ");

        final String poolKey;
        final String namespaceKey;
        final String imageKey;
        final String snapKey;
        final String prefix;

        Modifier(String poolKey, String namespaceKey, String imageKey, String snapKey, String prefix) {
            this.poolKey = poolKey;
            this.namespaceKey = namespaceKey;
            this.imageKey = imageKey;
            this.snapKey = snapKey;
            this.prefix = prefix;
        }

        public String poolKey() {
            return poolKey;
        }

        public String namespaceKey() {
            return namespaceKey;
        }

        public String imageKey() {
            return imageKey;
        }

        public String snapKey() {
            return snapKey;
        }
    }

    private static final Pattern PLAIN_NAME = Pattern.compile("^[^@/]*$");

    private SpecParser() {
    }

    /** Splits one spec string; a part the command does not use is an error, as in rbd. */
    public static ImageRef extract(String spec, Validation validation, boolean poolAllowed,
                                   boolean namespaceAllowed, boolean snapAllowed) {
        Matcher m = validation.pattern.matcher(spec);
        if (!m.matches()) {
            throw CommandException.invalid("rbd: invalid spec '" + spec + "'");
        }
        if (m.group(1) != null && !poolAllowed) {
            throw CommandException.invalid("rbd: pool name specified for a command that doesn't use it");
        }
        if (m.group(2) != null && !namespaceAllowed) {
            throw CommandException.invalid("rbd: namespace name specified for a command that doesn't use it");
        }
        if (m.group(4) != null && !snapAllowed) {
            throw CommandException.invalid("rbd: snapshot name specified for a command that doesn't use it");
        }
        return new ImageRef(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** An image or snapshot from {@code -p/--namespace/--image/--snap} and the next positional spec. */
    public static ImageRef image(CommandArgs args, Modifier modifier, boolean imageRequired,
                                 SnapshotPresence presence, Validation validation) {
        return image(args, modifier, new ImageRef("", "", "", ""), imageRequired, presence, validation);
    }

    /**
     * As {@link #image(CommandArgs, Modifier, boolean, SnapshotPresence, Validation)}, starting from
     * {@code defaults} (a destination defaults to the source's pool and namespace).
     */
    public static ImageRef image(CommandArgs args, Modifier modifier, ImageRef defaults, boolean imageRequired,
                                 SnapshotPresence presence, Validation validation) {
        String pool = firstNonEmpty(args.option(modifier.poolKey), defaults.pool());
        String namespace = firstNonEmpty(args.option(modifier.namespaceKey), defaults.namespace());
        String image = args.option(modifier.imageKey);
        String snap = args.option(modifier.snapKey);

        if (!image.isEmpty()) {
            ImageRef fromOption = extract(image, validation, true, true, true);
            pool = firstNonEmpty(fromOption.pool(), pool);
            namespace = firstNonEmpty(fromOption.namespace(), namespace);
            image = fromOption.image();
            snap = firstNonEmpty(fromOption.snap(), snap);
        }
        if (image.isEmpty()) {
            String spec = args.takePositional();
            if (!spec.isEmpty()) {
                ImageRef fromSpec = extract(spec, validation, true, true, true);
                pool = firstNonEmpty(fromSpec.pool(), pool);
                namespace = firstNonEmpty(fromSpec.namespace(), namespace);
                image = fromSpec.image();
                snap = firstNonEmpty(fromSpec.snap(), snap);
            }
        }
        if (imageRequired && image.isEmpty()) {
            throw CommandException.invalid("rbd: " + destPrefix(modifier) + "image name was not specified");
        }
        if (validation == Validation.FULL && !PLAIN_NAME.matcher(pool).matches()) {
            throw CommandException.invalid("rbd: invalid pool name '" + pool + "'");
        }
        if (!namespace.isEmpty() && !PLAIN_NAME.matcher(namespace).matches()) {
            throw CommandException.invalid("rbd: invalid namespace name '" + namespace + "'");
        }
        validateSnapshotName(modifier, snap, presence, validation);
        return new ImageRef(pool, namespace, image, snap);
    }

    /** A pool and namespace from {@code -p/--namespace} or the next positional {@code pool[/namespace]}. */
    public static PoolRef pool(CommandArgs args, boolean namespaceAllowed) {
        String namespace = namespaceAllowed ? args.option("namespace") : "";
        String pool = args.option("pool");
        if (pool.isEmpty()) {
            pool = args.takePositionalIfPresent();
            if (!pool.isEmpty() && namespaceAllowed) {
                int slash = pool.lastIndexOf('/');
                if (slash >= 0) {
                    namespace = pool.substring(slash + 1);
                    pool = pool.substring(0, slash);
                }
            }
        }
        if (pool.contains("/") || pool.contains("@")) {
            throw CommandException.invalid("rbd: invalid pool '" + pool + "'");
        }
        if (namespace.contains("/") || namespace.contains("@")) {
            throw CommandException.invalid("rbd: invalid namespace '" + namespace + "'");
        }
        return new PoolRef(pool, namespace);
    }

    private static void validateSnapshotName(Modifier modifier, String snap, SnapshotPresence presence,
                                             Validation validation) {
        switch (presence) {
            case NONE -> {
                if (!snap.isEmpty()) {
                    throw CommandException.invalid("rbd: " + destPrefix(modifier)
                            + "snapshot name specified for a command that doesn't use it");
                }
            }
            case REQUIRED -> {
                if (snap.isEmpty()) {
                    throw CommandException.invalid("rbd: " + destPrefix(modifier) + "snapshot name was not specified");
                }
            }
            case PERMITTED -> {
            }
        }
        if (validation == Validation.SNAP && !PLAIN_NAME.matcher(snap).matches()) {
            throw CommandException.invalid("rbd: invalid snap name '" + snap + "'");
        }
    }

    private static String destPrefix(Modifier modifier) {
        return modifier == Modifier.DEST ? modifier.prefix : "";
    }

    private static String firstNonEmpty(String first, String second) {
        return first != null && !first.isEmpty() ? first : (second == null ? "" : second);
    }
}
