package io.mirrorhost.api;

/** The value types a command argument or a module option can take; the host parses and checks them. */
public enum ArgType {
    /** Any text. */
    STRING,
    /** A whole number (64-bit). */
    INT,
    /** A number with an optional fraction. */
    FLOAT,
    /** A flag: present or absent on the command line, true or false in JSON. */
    BOOL,
    /** A byte size: a number with an optional unit, {@code 1024}, {@code 10M}, {@code 1G}, {@code 2T} (binary units, as rbd). */
    SIZE,
    /** One of a fixed set of words ({@link ArgSpec#choices()}). */
    CHOICE,
    /**
     * A file on the host's file system, or {@code -} for standard input or output. The host confines
     * what a caller may name ({@code [host] file_dir}); a module opens exactly the path it is given.
     */
    PATH
}
