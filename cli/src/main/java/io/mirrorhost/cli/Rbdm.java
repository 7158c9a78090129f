package io.mirrorhost.cli;

import io.mirrorhost.api.Errno;
import io.mirrorhost.host.LargeJson;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.host.ArgumentParser;
import io.mirrorhost.host.CommandCatalog;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code bin/rbdm}: parses the command line against the command catalogue, sends the command to the
 * cluster's host and prints its answer; the exit status is the command's errno (0 on success).
 */
public final class Rbdm {
    private final CommandCatalog catalog;
    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    Rbdm(CommandCatalog catalog, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.catalog = catalog;
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new Rbdm(CommandCatalog.load(), System.getenv(), System.in, System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String... args) {
        try {
            return execute(args);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitStatus();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int execute(String[] args) {
        CommandTree tree = new CommandTree(catalog);
        CommandLine cli = tree.commandLine();
        PrintWriter help = new PrintWriter(out, true, StandardCharsets.UTF_8);
        cli.setOut(help);
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            if (tree.leaf(e.getCommandLine().getCommandSpec()) == null) {
                throw unknownCommand(commandPath(e.getCommandLine()) + String.join(" ", e.getUnmatched()));
            }
            throw new CliException(22, "rbdm: " + lowerFirst(e.getMessage())
                    + " (see rbdm " + commandPath(e.getCommandLine()) + "--help)");
        } catch (CommandLine.ParameterException e) {
            throw new CliException(22, "rbdm: " + lowerFirst(e.getMessage())
                    + " (see rbdm " + commandPath(e.getCommandLine()) + "--help)");
        }
        ParseResult deepest = deepest(parsed);
        if (!deepest.unmatched().isEmpty() && tree.leaf(deepest.commandSpec()) == null) {
            // picocli lets words it does not know through when --help is among them
            throw unknownCommand(commandPath(deepest.commandSpec().commandLine()) + String.join(" ", deepest.unmatched()));
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        CommandTree.Leaf leaf = tree.leaf(deepest.commandSpec());
        if (leaf == null) {
            err.print(deepest.commandSpec().commandLine().getUsageMessage());
            return 22;
        }
        return send(parsed, leaf);
    }

    private int send(ParseResult parsed, CommandTree.Leaf leaf) {
        String format = global(parsed, CommandTree.FORMAT);
        try {
            OutputFormat.parse(format);
        } catch (CommandException e) {
            throw new CliException(22, e.getMessage());
        }
        ParseResult last = deepest(parsed);
        JsonObject args = new JsonObject();
        Map<String, String> typedPaths = new LinkedHashMap<>();
        byte[] input = null;
        for (Map.Entry<ArgSpec, CommandLine.Model.ArgSpec> arg : leaf.args().entrySet()) {
            if (!matched(last, arg.getValue())) {
                continue;
            }
            Object value = arg.getValue().getValue();
            ArgSpec spec = arg.getKey();
            if (value instanceof List<?> list) {
                args.put(spec.name(), list.stream().map(v -> absoluteIfPath(spec, String.valueOf(v), typedPaths)).toList());
            } else if (value instanceof Boolean flag) {
                args.put(spec.name(), flag.toString());
            } else if (value != null) {
                String text = absoluteIfPath(spec, value.toString(), typedPaths);
                if (text.equals("-") && readsInput(leaf, spec)) {
                    input = readStdin();
                }
                args.put(spec.name(), text);
            }
        }
        checkLocally(leaf, args);
        ClusterTarget target = ClusterTarget.resolve(global(parsed, CommandTree.CLUSTER),
                global(parsed, CommandTree.CONF), env.get("MIRRORHOST_CONF_DIR"), System.getProperty("mirrorhost.home"));
        JsonObject request = new JsonObject().put("prefix", leaf.entry().spec().prefix()).put("args", args)
                .put("format", format == null ? "plain" : format)
                .put("pretty_format", globalFlag(parsed, CommandTree.PRETTY))
                .put("input_base64", input == null ? null : Base64.getEncoder().encodeToString(input));
        return print(new HostClient(target).send(request), typedPaths);
    }

    /** The same check the host makes, so that mistakes are told without a round trip (or a running host). */
    private static void checkLocally(CommandTree.Leaf leaf, JsonObject args) {
        Map<String, Object> raw = new LinkedHashMap<>();
        args.forEach(e -> raw.put(e.getKey(), e.getValue() instanceof io.vertx.core.json.JsonArray a ? a.getList()
                : e.getValue()));
        try {
            ArgumentParser.parse(leaf.entry().spec(), raw);
        } catch (CommandException e) {
            throw new CliException(e.errno().code(), "rbdm: " + e.getMessage());
        }
    }

    /** Prints the host's reply; errors name files as they were typed, as rbd's do, not as the host saw them. */
    private int print(JsonObject reply, Map<String, String> typedPaths) {
        String base64 = reply.getString("stdout_base64");
        if (base64 != null) {
            byte[] data = Base64.getDecoder().decode(base64);
            out.write(data, 0, data.length);
        } else {
            out.print(reply.getString("stdout", ""));
        }
        out.flush();
        String stderr = reply.getString("stderr", "");
        for (Map.Entry<String, String> path : typedPaths.entrySet()) {
            stderr = stderr.replace(path.getKey(), path.getValue());
        }
        if (!stderr.isEmpty()) {
            err.print(stderr.endsWith("\n") ? stderr : stderr + "\n");
        }
        int code = Math.abs(reply.getInteger("code"));
        return code > 255 ? 1 : code;
    }

    /** The host runs elsewhere: file arguments travel absolute (recorded in {@code typed} to be told back as typed). */
    private static String absoluteIfPath(ArgSpec spec, String value, Map<String, String> typed) {
        if (spec.type() != ArgType.PATH || value.equals("-") || value.isEmpty()) {
            return value;
        }
        String absolute = Path.of(value).toAbsolutePath().normalize().toString();
        if (!absolute.equals(value)) {
            typed.put(absolute, value);
        }
        return absolute;
    }

    /** An argument whose value {@code -} means standard input: an import's path, or an input/source argument. */
    private static boolean readsInput(CommandTree.Leaf leaf, ArgSpec spec) {
        String name = spec.name().toLowerCase(Locale.ROOT);
        return leaf.entry().spec().words().contains("import") && name.contains("path")
                || name.contains("input") || name.contains("source");
    }

    private byte[] readStdin() {
        try {
            byte[] data = in.readNBytes((int) LargeJson.MAX_BINARY_BYTES + 1);
            if (data.length > LargeJson.MAX_BINARY_BYTES) {
                throw new CliException(Errno.EFBIG.code(), "rbdm: standard input is larger than "
                        + (LargeJson.MAX_BINARY_BYTES >> 20) + " MiB, the most a command takes through the host;"
                        + " give a file path instead");
            }
            return data;
        } catch (IOException e) {
            throw new CliException(5, "rbdm: cannot read standard input: " + e.getMessage());
        }
    }

    private static boolean matched(ParseResult result, CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? result.hasMatchedOption(o)
                : result.hasMatchedPositional((CommandLine.Model.PositionalParamSpec) arg);
    }

    private static ParseResult deepest(ParseResult parsed) {
        ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last;
    }

    /** A global option's value wherever it was given (the last occurrence wins). */
    private static String global(ParseResult parsed, String name) {
        String value = null;
        for (ParseResult r = parsed; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            if (r.hasMatchedOption(name)) {
                value = r.matchedOptionValue(name, value);
            }
        }
        return value;
    }

    private static boolean globalFlag(ParseResult parsed, String name) {
        for (ParseResult r = parsed; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            if (r.hasMatchedOption(name)) {
                return true;
            }
        }
        return false;
    }

    /** Worded as the host words it: {@code rbdm: unknown command 'x y'} with the closest known prefixes. */
    private CliException unknownCommand(String words) {
        List<String> near = catalog.suggestions(words);
        String hint = near.isEmpty() ? " (rbdm --help lists the commands)"
                : " (did you mean " + String.join(" or ", near.stream().map(p -> "'" + p + "'").toList()) + "?)";
        return new CliException(22, "rbdm: unknown command '" + words + "'" + hint);
    }

    private static String commandPath(CommandLine command) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = command; c != null && c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
