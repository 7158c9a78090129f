package io.mirrorhost.schedule;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code --pool}, {@code --namespace} and {@code --image} into the level name rbd sends to
 * the manager ({@code get_level_spec_args} and {@code normalize_level_spec_args} of rbd), with
 * rbd's errors.
 */
final class LevelArgs {
    static final String DEFAULT_POOL = "rbd";
    private static final Pattern IMAGE_SPEC = Pattern.compile("^(?:([^/@]+)/(?:([^/@]+)/)?)?([^/@]+)(?:@([^/@]+))?$");

    private LevelArgs() {
    }

    static String levelName(CommandRequest request) {
        String pool = request.string("pool").orElse(null);
        String namespace = request.string("namespace").orElse(null);
        String image = request.string("image").orElse(null);
        String name;
        if (image != null) {
            Matcher m = IMAGE_SPEC.matcher(image);
            if (!m.matches()) {
                throw CommandException.invalid("rbd: invalid spec '" + image + "'");
            }
            if (m.group(4) != null) {
                throw CommandException.invalid("rbd: snapshot name specified for a command that doesn't use it");
            }
            String specPool = m.group(1) == null ? "" : m.group(1);
            String specNamespace = m.group(2) == null ? "" : m.group(2);
            if (!specPool.isEmpty()) {
                if (pool != null) {
                    throw CommandException.invalid("rbd: pool is specified both via pool and image options");
                }
                if (namespace != null) {
                    throw CommandException.invalid("rbd: namespace is specified both via namespace and image options");
                }
            }
            String p = pool != null ? pool : specPool;
            String ns = namespace != null ? namespace : specNamespace;
            name = ns.isEmpty() ? p + "/" + m.group(3) : p + "/" + ns + "/" + m.group(3);
        } else if (namespace != null) {
            name = (pool == null ? "" : pool) + "/" + namespace + "/";
        } else if (pool != null) {
            name = pool + "/";
        } else {
            name = "";
        }
        return name.startsWith("/") ? DEFAULT_POOL + name : name;
    }
}
