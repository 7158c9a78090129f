package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A site conf in ceph.conf's INI dialect: {@code [section]} headers, {@code key = value} lines,
 * {@code #} and {@code ;} comments (whole-line, or after whitespace at the end of a line), and keys
 * whose spaces mean underscores ({@code listen port} is {@code listen_port}).
 */
public final class IniFile {
    private final Map<String, Map<String, String>> sections;

    private IniFile(Map<String, Map<String, String>> sections) {
        this.sections = sections;
    }

    public static IniFile read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw ClusterException.notFound("conf file " + file + " does not exist");
        } catch (IOException e) {
            throw new ClusterException(io.mirrorhost.api.Errno.EIO, "cannot read conf file " + file + ": " + e.getMessage(), e);
        }
    }

    public static IniFile parse(String text, String source) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0 || current == null) {
                throw ClusterException.invalid(source + " line " + (i + 1) + ": expected [section] or key = value, got '"
                        + line + "'");
            }
            String key = line.substring(0, equals).strip().replaceAll("\\s+", "_");
            current.put(key, line.substring(equals + 1).strip());
        }
        return new IniFile(sections);
    }

    /** The keys of a section (empty if absent), in file order. */
    public Map<String, String> section(String name) {
        return Map.copyOf(sections.getOrDefault(name, Map.of()));
    }

    public boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    private static String stripComment(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("#") || trimmed.startsWith(";")) {
            return "";
        }
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
