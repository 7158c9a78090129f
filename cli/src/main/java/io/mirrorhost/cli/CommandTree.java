package io.mirrorhost.cli;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.host.CommandCatalog;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The picocli model of {@code rbdm}, built from the {@link CommandCatalog}: one subcommand per word of each
 * command prefix ({@code mgr} → {@code module} → {@code ls}), the leaf's arguments from its ArgSpecs, and
 * the global options ({@code --cluster}, {@code --conf}, {@code --format}, {@code --pretty-format})
 * accepted before or after the command words.
 */
final class CommandTree {
    static final String CLUSTER = "--cluster";
    static final String CONF = "--conf";
    static final String FORMAT = "--format";
    static final String PRETTY = "--pretty-format";

    /** A leaf's catalogue entry and the picocli spec of each of its arguments. */
    record Leaf(CommandCatalog.Entry entry, Map<ArgSpec, CommandLine.Model.ArgSpec> args) {
    }

    private final CommandLine root;
    private final Map<CommandSpec, Leaf> leaves = new IdentityHashMap<>();

    CommandTree(CommandCatalog catalog) {
        CommandSpec rootSpec = CommandSpec.create().name("rbdm").mixinStandardHelpOptions(true)
                .version("rbdm 0.1.0 (Mirrorhost)");
        rootSpec.usageMessage().description("Manage Mirrorhost block images and their mirroring, with rbd's syntax.");
        globalOptions().forEach(rootSpec::addOption);
        root = new CommandLine(rootSpec);
        Map<String, CommandLine> nodes = new LinkedHashMap<>();
        for (CommandCatalog.Entry entry : catalog.commands()) {
            CommandLine parent = root;
            List<String> words = entry.spec().words();
            for (int i = 0; i < words.size(); i++) {
                String path = String.join(" ", words.subList(0, i + 1));
                CommandLine node = nodes.get(path);
                if (node == null) {
                    CommandSpec spec = CommandSpec.create().name(words.get(i)).mixinStandardHelpOptions(true);
                    spec.usageMessage().description(path + " commands");
                    parent.addSubcommand(words.get(i), new CommandLine(spec));
                    node = parent.getSubcommands().get(words.get(i));
                    nodes.put(path, node);
                }
                parent = node;
            }
            describeLeaf(parent.getCommandSpec(), entry);
        }
    }

    CommandLine commandLine() {
        return root;
    }

    /** The command a parsed leaf spec serves, or null for a group. */
    Leaf leaf(CommandSpec spec) {
        return leaves.get(spec);
    }

    private static List<OptionSpec> globalOptions() {
        return List.of(
                global(CLUSTER, "NAME", "cluster (site) to talk to: reads conf/NAME.conf (default: ceph)"),
                global(CONF, "FILE", "site configuration file to read instead of conf/NAME.conf"),
                global(FORMAT, "plain|json|xml", "output format (default: plain)"),
                OptionSpec.builder(PRETTY).arity("0").type(boolean.class).scopeType(ScopeType.INHERIT)
                        .description("indent JSON output").build());
    }

    private static OptionSpec global(String name, String label, String help) {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).scopeType(ScopeType.INHERIT)
                .description(help).build();
    }

    private void describeLeaf(CommandSpec spec, CommandCatalog.Entry entry) {
        spec.usageMessage().description(entry.spec().help().isEmpty() ? entry.spec().prefix() : entry.spec().help());
        Map<ArgSpec, CommandLine.Model.ArgSpec> args = new LinkedHashMap<>();
        int index = 0;
        for (ArgSpec arg : entry.spec().args()) {
            if (arg.positional()) {
                PositionalParamSpec positional = positional(arg, index++);
                spec.addPositional(positional);
                args.put(arg, positional);
            } else {
                List<String> names = new ArrayList<>(arg.aliases().isEmpty() ? List.of("--" + arg.name()) : arg.aliases());
                names.removeIf(n -> spec.optionsMap().containsKey(n));
                if (names.isEmpty()) {
                    continue;
                }
                OptionSpec option = option(arg, names);
                spec.addOption(option);
                args.put(arg, option);
            }
        }
        leaves.put(spec, new Leaf(entry, args));
    }

    /** Values stay text: the host's ArgumentParser checks them, so missing ones are reported there too. */
    private static PositionalParamSpec positional(ArgSpec arg, int index) {
        return PositionalParamSpec.builder()
                .index(arg.repeated() ? index + "..*" : String.valueOf(index))
                .arity(arg.repeated() ? "0..*" : "0..1")
                .type(arg.repeated() ? List.class : String.class)
                .auxiliaryTypes(String.class)
                .paramLabel("<" + arg.name() + ">")
                .description(describe(arg))
                .build();
    }

    private static OptionSpec option(ArgSpec arg, List<String> names) {
        OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new)).description(describe(arg));
        if (arg.type() == ArgType.BOOL) {
            return option.arity("0").type(boolean.class).build();
        }
        option.paramLabel("<" + arg.name() + ">").arity("1");
        return (arg.repeated() ? option.type(List.class).auxiliaryTypes(String.class) : option.type(String.class))
                .build();
    }

    private static String describe(ArgSpec arg) {
        StringBuilder text = new StringBuilder(arg.help());
        if (!arg.choices().isEmpty()) {
            text.append(" (").append(String.join(", ", arg.choices())).append(')');
        }
        if (arg.defaultValue() != null && arg.type() != ArgType.BOOL) {
            text.append(" [default: ").append(arg.defaultValue()).append(']');
        }
        if (arg.required()) {
            text.append(" (required)");
        }
        if (arg.repeated()) {
            text.append(" (repeatable)");
        }
        return text.toString();
    }
}
