package io.mirrorhost.api;

/**
 * Which files the caller of a command may name to the host, which opens them with its own rights. The
 * host checks every {@link ArgType#PATH} argument before the handler runs; a handler checks a file it
 * learns of otherwise (a value that names a file only for some keys, as {@code peer set ... key-file}).
 */
@FunctionalInterface
public interface FilePolicy {
    /** Any file: for callers the host trusts as itself (in-process use and tests). */
    FilePolicy ANY = (argument, path) -> {
    };

    /** Fails with a {@link CommandException} (EACCES) naming {@code argument} when the caller may not name {@code path}. */
    void check(String argument, String path);
}
