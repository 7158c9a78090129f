package io.mirrorhost.rbd.testing;

import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.FilePolicy;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.testing.ModuleCommandLine;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a module's commands as the host does: the handler of the longest matching prefix, called on
 * the module's event-loop context; a CommandException becomes {@code -errno} and its message on
 * standard error, as the host reports it.
 */
public final class CommandRunner {
    private final ModuleCommandLine lines;

    public CommandRunner(MgrModule module, Context context) {
        this.lines = new ModuleCommandLine(module, context);
    }

    /** What a command answered. */
    public record Outcome(int code, String stdout, String stderr, byte[] binaryStdout) {
        public Outcome(int code, String stdout, String stderr) {
            this(code, stdout, stderr, null);
        }

        @Override
        public String toString() {
            return "code " + code + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** A command invocation under construction. */
    public final class Call {
        private final String prefix;
        private final Map<String, Object> args = new HashMap<>();
        private OutputFormat format = OutputFormat.PLAIN;
        private boolean pretty;
        private byte[] input;
        private Cancellation cancellation = new Cancellation();

        private Call(String prefix) {
            this.prefix = prefix;
        }

        public Call arg(String name, Object value) {
            args.put(name, value);
            return this;
        }

        public Call flag(String name) {
            args.put(name, Boolean.TRUE);
            return this;
        }

        /** Adds a value to a repeatable argument. */
        @SuppressWarnings("unchecked")
        public Call add(String name, String value) {
            List<String> values = (List<String>) args.computeIfAbsent(name, k -> new ArrayList<String>());
            values.add(value);
            return this;
        }

        public Call json() {
            format = OutputFormat.JSON;
            return this;
        }

        public Call pretty() {
            pretty = true;
            return this;
        }

        public Call xml() {
            format = OutputFormat.XML;
            return this;
        }

        public Call input(byte[] bytes) {
            input = bytes;
            return this;
        }

        /** The request's cancellation, which the test sets to play a client that went away. */
        public Call cancellation(Cancellation set) {
            cancellation = set;
            return this;
        }

        public Outcome run() {
            CommandResult result = lines.run(new CommandRequest(prefix, args, format, pretty, input, cancellation, FilePolicy.ANY));
            return new Outcome(result.code(), result.stdout(), result.stderr(), result.binaryStdout());
        }
    }

    public Call call(String prefix) {
        return new Call(prefix);
    }
}
