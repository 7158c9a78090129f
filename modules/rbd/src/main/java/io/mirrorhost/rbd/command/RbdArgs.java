package io.mirrorhost.rbd.command;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import java.util.List;

/**
 * rbd's argument declarations ({@code src/tools/rbd/ArgumentTypes.cc}) as ArgSpecs. Values that rbd
 * parses itself (sizes, image specs, feature names) are declared as text so that this module reports
 * bad values with rbd's own words.
 */
final class RbdArgs {
    static final String IMAGE_SPEC = "image-spec";
    static final String SNAP_SPEC = "snap-spec";
    static final String IMAGE_OR_SNAP_SPEC = "image-or-snap-spec";
    static final String DEST_IMAGE_SPEC = "dest-image-spec";
    static final String POOL_SPEC = "pool-spec";
    static final String POOL_NAME = "pool-name";

    private RbdArgs() {
    }

    static ArgSpec positional(String name, String help) {
        return ArgSpec.positional(name, ArgType.STRING, help).optional();
    }

    static ArgSpec option(String name, String help, String... aliases) {
        ArgSpec spec = ArgSpec.option(name, ArgType.STRING, help);
        return aliases.length == 0 ? spec : spec.withAliases(aliases);
    }

    /** A file named to the host ({@link ArgType#PATH}), positional. */
    static ArgSpec pathPositional(String name, String help) {
        return ArgSpec.positional(name, ArgType.PATH, help).optional();
    }

    /** A file named to the host ({@link ArgType#PATH}), as an option. */
    static ArgSpec pathOption(String name, String help) {
        return ArgSpec.option(name, ArgType.PATH, help);
    }

    static ArgSpec flag(String name, String help, String... aliases) {
        ArgSpec spec = ArgSpec.flag(name, help);
        return aliases.length == 0 ? spec : spec.withAliases(aliases);
    }

    static ArgSpec pool() {
        return option("pool", "pool name", "-p", "--pool");
    }

    static ArgSpec namespace() {
        return option("namespace", "namespace name");
    }

    static ArgSpec image() {
        return option("image", "image name");
    }

    static ArgSpec snap() {
        return option("snap", "snapshot name");
    }

    static ArgSpec noProgress() {
        return flag("no-progress", "disable progress output");
    }

    /** {@code <image-spec>} with {@code -p/--namespace/--image}: {@code [<pool-name>/[<namespace>/]]<image-name>}. */
    static List<ArgSpec> imageSpec() {
        return List.of(positional(IMAGE_SPEC, "image specification\n(example: [<pool-name>/[<namespace>/]]<image-name>)"),
                pool(), namespace(), image());
    }

    /** {@code <snap-spec>} with {@code -p/--namespace/--image/--snap}. */
    static List<ArgSpec> snapSpec() {
        return List.of(positional(SNAP_SPEC,
                        "snapshot specification\n(example: [<pool-name>/[<namespace>/]]<image-name>@<snap-name>)"),
                pool(), namespace(), image(), snap());
    }

    /** {@code <image-or-snap-spec>} with {@code -p/--namespace/--image/--snap}. */
    static List<ArgSpec> imageOrSnapSpec() {
        return List.of(positional(IMAGE_OR_SNAP_SPEC,
                        "image or snapshot specification\n"
                                + "(example: [<pool-name>/[<namespace>/]]<image-name>[@<snap-name>])"),
                pool(), namespace(), image(), snap());
    }

    /** {@code --image-feature}, {@code --object-size}, {@code --data-pool} of rbd create and import. */
    static List<ArgSpec> createOptions() {
        return List.of(
                option("image-feature", "image features\n[layering(+), exclusive-lock(+*), object-map(+*), "
                        + "deep-flatten(+-), journaling(*)]").repeatable(),
                option("object-size", "object size in B/K/M [4K <= object size <= 32M]"),
                option("data-pool", "data pool"));
    }
}
