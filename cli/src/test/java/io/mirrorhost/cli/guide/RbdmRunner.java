package io.mirrorhost.cli.guide;

import io.mirrorhost.cli.Rbdm;
import io.mirrorhost.host.CommandCatalog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the real CLI, {@link Rbdm}, in this JVM as {@code bin/rbdm} would, capturing what it prints. */
final class RbdmRunner {
    /** What one rbdm run printed and returned. */
    record Run(String commandLine, int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "$ rbdm " + commandLine + "\nexit code: " + status + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    private final CommandCatalog catalog;
    private final Map<String, String> env;
    private final Constructor<Rbdm> constructor;
    private final Method run;

    RbdmRunner(CommandCatalog catalog, Path confDir) {
        this.catalog = catalog;
        this.env = Map.of("MIRRORHOST_CONF_DIR", confDir.toString());
        try {
            // Rbdm's test seam is package-private; this package is ours, so reach it reflectively.
            constructor = Rbdm.class.getDeclaredConstructor(CommandCatalog.class, Map.class, InputStream.class,
                    PrintStream.class, PrintStream.class);
            constructor.setAccessible(true);
            run = Rbdm.class.getDeclaredMethod("run", String[].class);
            run.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("io.mirrorhost.cli.Rbdm changed its test seam", e);
        }
    }

    /** {@code rbdm ARGS} with ARGS split on spaces (no quoting needed by the guide's commands). */
    Run run(String commandLine) {
        return run(commandLine, new byte[0]);
    }

    Run run(String commandLine, byte[] stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            Rbdm rbdm = constructor.newInstance(catalog, env, new ByteArrayInputStream(stdin),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = (int) run.invoke(rbdm, (Object) commandLine.trim().split(" +"));
            return new Run(commandLine, status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
