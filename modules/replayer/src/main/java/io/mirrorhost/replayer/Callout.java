package io.mirrorhost.replayer;

/** A problem a pool replayer reports in its status, as rbd-mirror's service-daemon callouts. */
public record Callout(Level level, String text) {
    public enum Level {
        INFO, WARNING, ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Callout error(String text) {
        return new Callout(Level.ERROR, text);
    }

    public static Callout warning(String text) {
        return new Callout(Level.WARNING, text);
    }
}
