package io.mirrorhost.cli.guide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real rbd outputs captured in it/reference/rbd-outputs.md (section c follows the guide on two Ceph
 * 16.2.15 clusters), read in order: {@link #next} finds the next entry of a command line after the one
 * last taken, so a test walking the guide in the capture's order meets each output where it was captured.
 */
final class ReferenceOutputs {
    static final Path FILE = Path.of("..", "it", "reference", "rbd-outputs.md");
    private static final String FENCE = "```";
    private static final String NO_NEWLINE = "(no trailing newline)";

    /** One captured command: its line as typed (after "$ "), exit code, stdout and stderr verbatim. */
    record Entry(String commandLine, int exitCode, String stdout, String stderr) {
    }

    private final List<Entry> entries;
    private int cursor;

    private ReferenceOutputs(List<Entry> entries) {
        this.entries = entries;
    }

    /** The entries of one section ({@code ## c. Mirroring ...}) up to the next top-level section. */
    static ReferenceOutputs section(String headingPrefix) throws IOException {
        // split on \n only: rbd's progress lines carry \r, which the capture keeps verbatim
        List<String> lines = List.of(Files.readString(FILE).split("\n", -1));
        int start = -1;
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (start < 0 && lines.get(i).startsWith("## " + headingPrefix)) {
                start = i;
            } else if (start >= 0 && lines.get(i).startsWith("## ")) {
                end = i;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalStateException("no section '## " + headingPrefix + "' in " + FILE);
        }
        return new ReferenceOutputs(parse(lines.subList(start, end)));
    }

    private static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).equals(FENCE) && i + 2 < lines.size() && lines.get(i + 1).startsWith("$ ")
                    && lines.get(i + 2).equals(FENCE)) {
                String command = lines.get(i + 1).substring(2);
                i += 3;
                i = skipBlank(lines, i);
                int exit = Integer.parseInt(lines.get(i).substring("exit code: ".length()).trim());
                i = skipBlank(lines, i + 1);
                StringBuilder stdout = new StringBuilder();
                i = stream(lines, i, "stdout:", stdout);
                i = skipBlank(lines, i);
                StringBuilder stderr = new StringBuilder();
                i = stream(lines, i, "stderr:", stderr);
                entries.add(new Entry(command, exit, stdout.toString(), stderr.toString()));
            } else {
                i++;
            }
        }
        return entries;
    }

    private static int skipBlank(List<String> lines, int i) {
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    /** Reads "NAME: (empty)" or "NAME:" and a fenced block into {@code into}; returns the next line index. */
    private static int stream(List<String> lines, int i, String name, StringBuilder into) {
        String line = lines.get(i);
        if (!line.startsWith(name)) {
            throw new IllegalStateException("expected '" + name + "' in " + FILE + ", got: " + line);
        }
        if (line.endsWith("(empty)")) {
            return i + 1;
        }
        i = skipBlank(lines, i + 1);
        if (!lines.get(i).equals(FENCE)) {
            throw new IllegalStateException("expected a fenced block after '" + name + "' in " + FILE);
        }
        List<String> content = new ArrayList<>();
        i++;
        while (!lines.get(i).equals(FENCE)) {
            content.add(lines.get(i));
            i++;
        }
        boolean newline = true;
        if (!content.isEmpty() && content.get(content.size() - 1).equals(NO_NEWLINE)) {
            content.remove(content.size() - 1);
            newline = false;
        }
        into.append(String.join("\n", content));
        if (newline) {
            into.append('\n');
        }
        return i + 1;
    }

    /** The next entry, after the last one taken, typed as {@code commandLine} (uuids in it may differ). */
    Entry next(String commandLine) {
        String wanted = RbdNormalizer.normalize(commandLine);
        for (int i = cursor; i < entries.size(); i++) {
            if (RbdNormalizer.normalize(entries.get(i).commandLine()).equals(wanted)) {
                cursor = i + 1;
                return entries.get(i);
            }
        }
        throw new IllegalStateException("no captured '" + commandLine + "' after entry " + cursor + " in " + FILE);
    }

    /** The first entry typed as {@code commandLine} anywhere in the section (the cursor does not move). */
    Entry any(String commandLine) {
        return entries.stream().filter(e -> e.commandLine().equals(commandLine)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no captured '" + commandLine + "' in " + FILE));
    }

    List<Entry> entries() {
        return entries;
    }
}
