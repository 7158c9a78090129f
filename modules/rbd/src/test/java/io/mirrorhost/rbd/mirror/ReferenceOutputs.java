package io.mirrorhost.rbd.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The outputs of the real rbd 16.2 captured in {@code it/reference/rbd-outputs.md}: each entry is the
 * command line ({@code $ rbd ...}) followed by its exit code and its stdout in a fenced block.
 */
final class ReferenceOutputs {
    private static final Path FILE = Path.of("../../it/reference/rbd-outputs.md");
    private static final String NO_TRAILING_NEWLINE = "(no trailing newline)";

    private ReferenceOutputs() {
    }

    /** The standard output of the {@code occurrence}-th (from 1) run of exactly this command line. */
    static String stdout(String commandLine, int occurrence) {
        List<String> lines = lines();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("$ " + commandLine) && ++seen == occurrence) {
                return stdoutAfter(lines, i, commandLine);
            }
        }
        throw new AssertionError("no run " + occurrence + " of '" + commandLine + "' in " + FILE);
    }

    private static String stdoutAfter(List<String> lines, int start, String commandLine) {
        int i = start + 1;
        while (i < lines.size() && !lines.get(i).startsWith("stdout:")) {
            i++;
        }
        if (i >= lines.size()) {
            throw new AssertionError("no stdout for '" + commandLine + "'");
        }
        if (lines.get(i).equals("stdout: (empty)")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (i += 2; !lines.get(i).equals("```"); i++) {
            if (lines.get(i).equals(NO_TRAILING_NEWLINE) && lines.get(i + 1).equals("```")) {
                out.setLength(out.length() - 1);
                break;
            }
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(FILE);
        } catch (IOException e) {
            throw new AssertionError("cannot read the captured rbd outputs at " + FILE.toAbsolutePath(), e);
        }
    }
}
