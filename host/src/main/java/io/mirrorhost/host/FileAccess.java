package io.mirrorhost.host;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.FilePolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which files a caller may name to the host ({@link ArgType#PATH} arguments, which the host opens with
 * its own rights). With {@code [host] file_dir} set, every caller is confined to that directory; without
 * it, only a caller on this machine (the local {@code bin/rbdm}) may name files, anywhere, and a remote
 * caller none. {@code -} (standard input or output) is always allowed.
 *
 * @param fileDir     the directory files must lie in, absolute and normalised, if configured
 * @param localCaller whether the request came from a loopback address
 */
record FileAccess(Optional<Path> fileDir, boolean localCaller) implements FilePolicy {
    private static final String STDIO = "-";

    /** Refuses the first path argument of {@code args} (typed values by name) that the caller may not name. */
    void check(List<ArgSpec> specs, Map<String, Object> args) {
        for (ArgSpec spec : specs) {
            if (spec.type() != ArgType.PATH || !args.containsKey(spec.name())) {
                continue;
            }
            Object value = args.get(spec.name());
            for (Object path : value instanceof List<?> list ? list : List.of(value)) {
                check(spec.name(), (String) path);
            }
        }
    }

    @Override
    public void check(String name, String path) {
        if (path.equals(STDIO)) {
            return;
        }
        if (fileDir.isEmpty()) {
            if (!localCaller) {
                throw new CommandException(Errno.EACCES, "permission denied: argument '" + name
                        + "' names a file on the host, which remote callers may not do unless the host's conf"
                        + " sets [host] file_dir (files are then confined to that directory)");
            }
            return;
        }
        Path dir = fileDir.get();
        Path resolved;
        try {
            resolved = Path.of(path);
        } catch (InvalidPathException e) {
            throw CommandException.invalid("argument '" + name + "' is not a file path: " + path);
        }
        if (!resolved.isAbsolute() || !resolved.normalize().startsWith(dir) || resolved.normalize().equals(dir)) {
            throw new CommandException(Errno.EACCES, "permission denied: argument '" + name + "' names "
                    + path + ", outside the host's file directory " + dir + " ([host] file_dir)");
        }
    }
}
