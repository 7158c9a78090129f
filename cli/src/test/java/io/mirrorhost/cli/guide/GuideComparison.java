package io.mirrorhost.cli.guide;

import io.mirrorhost.cli.guide.RbdmRunner.Run;
import io.mirrorhost.cli.guide.ReferenceOutputs.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs guide commands with rbdm and compares each, after {@link RbdNormalizer}, with the next capture of
 * the same command line on real rbd; every difference is kept (not thrown) so one run lists them all.
 */
final class GuideComparison {
    /** One command whose output differs from rbd's; {@code commandLine} as the capture typed it. */
    record Difference(String commandLine, String expected, String actual) {
        @Override
        public String toString() {
            return "$ " + commandLine + "\n--- rbd (normalised)\n" + expected + "--- rbdm (normalised)\n" + actual;
        }
    }

    private final RbdmRunner rbdm;
    private final ReferenceOutputs reference;
    private final List<Difference> differences = new ArrayList<>();
    private int compared;
    private final java.util.Set<String> comparedLines = new java.util.HashSet<>();

    GuideComparison(RbdmRunner rbdm, ReferenceOutputs reference) {
        this.rbdm = rbdm;
        this.reference = reference;
    }

    /** {@code rbd --cluster SITE ARGS} of the capture against {@code rbdm --cluster SITE ARGS}. */
    Run check(String site, String args) {
        return check(site, args, args, new byte[0]);
    }

    /** As {@link #check(String, String)}, where our command line differs (a temp path for a file name). */
    Run check(String site, String referenceArgs, String ourArgs, byte[] stdin) {
        String referenceLine = "rbd --cluster " + site + " " + referenceArgs;
        return compare(reference.next(referenceLine), rbdm.run("--cluster " + site + " " + ourArgs, stdin));
    }

    /** Compares a run with a captured entry typed differently (stdin piped in, say). */
    Run checkPiped(String referenceLine, String site, String ourArgs, byte[] stdin) {
        return compare(reference.next(referenceLine), rbdm.run("--cluster " + site + " " + ourArgs, stdin));
    }

    /** A run compared with a captured entry of another command line (image-1 where rbd used image-2). */
    Run checkAs(String referenceLine, String site, String ourArgs) {
        return compare(reference.any(referenceLine), rbdm.run("--cluster " + site + " " + ourArgs));
    }

    /** A run whose standard output the capture piped through {@code base64 -d}. */
    Run checkBase64Decoded(String referenceLine, String site, String ourArgs) {
        Run run = rbdm.run("--cluster " + site + " " + ourArgs);
        String decoded = run.status() == 0 ? new String(java.util.Base64.getDecoder().decode(run.stdout().trim()),
                java.nio.charset.StandardCharsets.UTF_8) : run.stdout();
        compare(reference.next(referenceLine), new Run(run.commandLine(), run.status(), decoded, run.stderr()));
        return run;
    }

    private Run compare(Entry entry, Run run) {
        compared++;
        comparedLines.add(RbdNormalizer.normalize(entry.commandLine()));
        String expected = render(entry.exitCode(), entry.stdout(), entry.stderr());
        String actual = render(run.status(), run.stdout(), run.stderr());
        if (!expected.equals(actual)) {
            differences.add(new Difference(entry.commandLine(), expected, actual));
        }
        return run;
    }

    private static String render(int exitCode, String stdout, String stderr) {
        return "exit code: " + exitCode + "\nstdout:\n" + RbdNormalizer.normalize(stdout) + "\nstderr:\n"
                + RbdNormalizer.normalizeStderr(stderr) + "\n";
    }

    List<Difference> differences() {
        return differences;
    }

    /** The captured command lines compared so far, normalised. */
    java.util.Set<String> comparedLines() {
        return comparedLines;
    }

    int compared() {
        return compared;
    }
}
