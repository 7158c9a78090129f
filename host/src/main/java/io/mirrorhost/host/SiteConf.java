package io.mirrorhost.host;

import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.host.ha.HazelcastConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A site's configuration file, INI like ceph.conf: {@code [section]} headers, {@code key = value} lines,
 * {@code #} and {@code ;} comments (also after a value). Keys may be written with spaces or underscores.
 * Values of keys naming files ({@code *_dir}, {@code *_path}, {@code *_file}) resolve against the
 * directory holding the conf file.
 */
public final class SiteConf {
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 7480;

    private final Path file;
    private final Map<String, Map<String, String>> sections;

    private SiteConf(Path file, Map<String, Map<String, String>> sections) {
        this.file = file;
        this.sections = sections;
    }

    public static SiteConf load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(absolute);
        } catch (IOException e) {
            throw new ConfException("cannot read configuration file " + absolute + ": " + e.getMessage());
        }
        return parse(absolute, lines);
    }

    static SiteConf parse(Path file, List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = sections.computeIfAbsent("global", k -> new LinkedHashMap<>());
        Path dir = file.getParent();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfException(file + ":" + (i + 1) + ": malformed section header '" + line + "'");
                }
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).trim(),
                        k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfException(file + ":" + (i + 1) + ": expected 'key = value', got '" + line + "'");
            }
            String key = normalizeKey(line.substring(0, eq));
            String value = line.substring(eq + 1).trim();
            current.put(key, resolvePath(dir, key, value));
        }
        return new SiteConf(file, sections);
    }

    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '#' || c == ';') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static String normalizeKey(String key) {
        return key.trim().replaceAll("[ \\t]+", "_");
    }

    private static String resolvePath(Path dir, String key, String value) {
        boolean namesFile = key.endsWith("_dir") || key.endsWith("_path") || key.endsWith("_file");
        if (!namesFile || value.isEmpty() || dir == null || Path.of(value).isAbsolute()) {
            return value;
        }
        return dir.resolve(value).normalize().toString();
    }

    public Path file() {
        return file;
    }

    /** The keys of a section, empty if the file has none. */
    public Map<String, String> section(String name) {
        return Map.copyOf(sections.getOrDefault(name, Map.of()));
    }

    public Optional<String> get(String section, String key) {
        return Optional.ofNullable(sections.getOrDefault(section, Map.of()).get(normalizeKey(key)));
    }

    private String require(String section, String key) {
        return get(section, key).filter(v -> !v.isEmpty()).orElseThrow(() -> new ConfException(
                file + ": missing '" + key + "' in section [" + section + "]"));
    }

    public String siteName() {
        return require("global", "site_name");
    }

    public String backend() {
        return require("global", "backend");
    }

    public String listenAddress() {
        return get("host", "listen_address").filter(v -> !v.isEmpty()).orElse(DEFAULT_LISTEN_ADDRESS);
    }

    public int listenPort() {
        String text = get("host", "listen_port").orElse(String.valueOf(DEFAULT_LISTEN_PORT));
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfException(file + ": [host] listen_port must be a port number (0-65535), got '" + text + "'");
        }
    }

    /**
     * This host instance's name among the site's instances: {@code [host] instance_name}, else the conf
     * file's name without {@code .conf} ({@code site-a-2} for {@code conf/site-a-2.conf}).
     */
    public String instanceName() {
        return get("host", "instance_name").filter(v -> !v.isEmpty()).orElseGet(() -> {
            String name = file.getFileName().toString();
            return name.endsWith(".conf") ? name.substring(0, name.length() - ".conf".length()) : name;
        });
    }

    /**
     * The {@code [hazelcast]} section, if the conf has one: then this instance joins the other instances of
     * its site in one Hazelcast cluster. {@code members} (every instance's {@code host:port}) and {@code port}
     * (this one's) are required; {@code interface} defaults to 127.0.0.1, {@code cluster_name} to the site's
     * name, {@code heartbeat_interval} to 1 s and {@code max_no_heartbeat} to 5 s, {@code leader_beat_ms} to
     * 150 and {@code leader_suspect_ms} (at least two beats) to 600.
     */
    public Optional<HazelcastConf> hazelcast() {
        if (!sections.containsKey("hazelcast")) {
            return Optional.empty();
        }
        List<String> members = new ArrayList<>();
        for (String member : require("hazelcast", "members").split(",")) {
            String trimmed = member.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || !isPort(trimmed.substring(colon + 1))) {
                throw new ConfException(file + ": [hazelcast] members must be host:port entries, got '" + trimmed + "'");
            }
            members.add(trimmed);
        }
        String port = require("hazelcast", "port");
        if (!isPort(port)) {
            throw new ConfException(file + ": [hazelcast] port must be a port number (1-65535), got '" + port + "'");
        }
        int heartbeat = seconds("heartbeat_interval", 1, 1);
        int beat = millis("leader_beat_ms", 150, 10);
        return Optional.of(new HazelcastConf(List.copyOf(members), Integer.parseInt(port),
                get("hazelcast", "interface").filter(v -> !v.isEmpty()).orElse(DEFAULT_LISTEN_ADDRESS),
                get("hazelcast", "cluster_name").filter(v -> !v.isEmpty()).orElseGet(this::siteName),
                heartbeat, seconds("max_no_heartbeat", 5, heartbeat + 1), Duration.ofMillis(beat),
                Duration.ofMillis(millis("leader_suspect_ms", 600, 2 * beat))));
    }

    private static boolean isPort(String text) {
        return text.matches("[0-9]{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535;
    }

    /** Whole seconds of a {@code [hazelcast]} key, at least {@code min} and at most an hour. */
    private int seconds(String key, int defaultSeconds, int min) {
        String text = get("hazelcast", key).orElse(Integer.toString(defaultSeconds));
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < min || Integer.parseInt(text) > 3600) {
            throw new ConfException(file + ": [hazelcast] " + key + " must be whole seconds between " + min
                    + " and 3600, got '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** Milliseconds of a {@code [hazelcast]} key, at least {@code min} and at most a minute. */
    private int millis(String key, int defaultMillis, int min) {
        String text = get("hazelcast", key).orElse(Integer.toString(defaultMillis));
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < min || Integer.parseInt(text) > 60000) {
            throw new ConfException(file + ": [hazelcast] " + key + " must be milliseconds between " + min
                    + " and 60000, got '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /**
     * How often the host re-reads which modules are enabled, to follow changes made through another host
     * instance of the site ({@code [host] module_refresh_interval}, seconds, default 10; 0 turns it off).
     */
    public Duration moduleRefreshInterval() {
        String text = get("host", "module_refresh_interval").orElse("10");
        try {
            double seconds = Double.parseDouble(text);
            if (seconds >= 0 && seconds <= 86400) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfException(file + ": [host] module_refresh_interval must be seconds between 0 and 86400, got '"
                + text + "'");
    }

    /**
     * The directory that file arguments given over the API must lie in ({@code file_dir}, relative to
     * the conf's directory), or empty: then only local callers may name files (see {@link FileAccess}).
     */
    public Optional<Path> fileDir() {
        return get("host", "file_dir").filter(v -> !v.isEmpty())
                .map(dir -> file.getParent().resolve(dir).toAbsolutePath().normalize());
    }

    /** The key the CLI sends ({@code api_key}), or empty if the conf has none. */
    public Optional<String> apiKey() {
        return get("host", "api_key").filter(v -> !v.isEmpty());
    }

    /** Every key the host accepts, by name: {@code api_key} as "default", plus {@code api_keys} name:key pairs. */
    public Map<String, String> acceptedApiKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        apiKey().ifPresent(k -> keys.put("default", k));
        String extra = get("host", "api_keys").orElse("");
        for (String entry : extra.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new ConfException(file + ": [host] api_keys entries must be name:key, got '" + trimmed + "'");
            }
            keys.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
        }
        return keys;
    }

    /**
     * The settings handed to the backend's {@code connect}: its section (named after {@code backend}), plus
     * {@code conf_dir}, the directory of this file, for paths the backend resolves itself.
     */
    public Map<String, String> backendSettings() {
        Map<String, String> settings = new LinkedHashMap<>(section(backend()));
        if (file.getParent() != null) {
            settings.putIfAbsent("conf_dir", file.getParent().toString());
        }
        return Map.copyOf(settings);
    }

    /** A module's option values from its section {@code [mgr/MODULE]}. */
    public Map<String, String> moduleOptions(String module) {
        return section("mgr/" + module);
    }

    /** Peer sites declared as {@code [peer/SITE]} sections with {@code client_name}, {@code mon_host}, {@code key}. */
    public List<PeerConnection> peers() {
        List<PeerConnection> peers = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> section : sections.entrySet()) {
            if (section.getKey().startsWith("peer/")) {
                Map<String, String> keys = section.getValue();
                peers.add(new PeerConnection(section.getKey().substring("peer/".length()),
                        keys.getOrDefault("client_name", "client.rbd-mirror-peer"),
                        keys.getOrDefault("mon_host", ""), keys.getOrDefault("key", "")));
            }
        }
        return peers;
    }

    /** The configuration is unusable; the message names the file and the problem. */
    public static final class ConfException extends RuntimeException {
        public ConfException(String message) {
            super(message, null, false, false);
        }
    }
}
