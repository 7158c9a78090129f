package io.mirrorhost.host;

import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command the host serves: its own built-ins (pseudo-module {@value #HOST_MODULE}) and those of each
 * {@link MgrModule} found with {@link ServiceLoader}, with the module each belongs to. Building it starts
 * nothing, so the CLI uses it for its command tree and help without a running host.
 */
public final class CommandCatalog {
    /** The pseudo-module the host's own commands belong to; always on. */
    public static final String HOST_MODULE = "mgr";

    private static final Logger LOG = LoggerFactory.getLogger(CommandCatalog.class);

    /** A command and the module serving it. */
    public record Entry(String module, CommandSpec spec) {
    }

    /** The command a request names, and any words after its prefix (extra positional values). */
    public record Match(Entry entry, List<String> extraWords) {
    }

    private final List<MgrModule> modules;
    private final Map<String, Entry> byPrefix;

    private CommandCatalog(List<MgrModule> modules, Map<String, Entry> byPrefix) {
        this.modules = List.copyOf(modules);
        this.byPrefix = byPrefix;
    }

    /** The catalogue of the modules on the class path, with the host's built-ins described but not bound. */
    public static CommandCatalog load() {
        return of(discoverModules(), BuiltinCommands.describe());
    }

    public static CommandCatalog of(List<MgrModule> modules, List<CommandSpec> builtins) {
        Map<String, Entry> byPrefix = new LinkedHashMap<>();
        builtins.forEach(spec -> byPrefix.put(spec.prefix(), new Entry(HOST_MODULE, spec)));
        for (MgrModule module : modules) {
            for (CommandSpec spec : declaredCommands(module)) {
                Entry existing = byPrefix.putIfAbsent(spec.prefix(), new Entry(module.name(), spec));
                if (existing != null) {
                    LOG.warn("module {} declares command '{}' already served by {}; ignoring it",
                            module.name(), spec.prefix(), existing.module());
                }
            }
        }
        return new CommandCatalog(modules, byPrefix);
    }

    private static List<CommandSpec> declaredCommands(MgrModule module) {
        try {
            return module.commands();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("module {} failed to declare its commands; it serves none: {}", module.name(), e.toString());
            return List.of();
        }
    }

    /**
     * The modules on the class path, by name. A module whose class cannot be loaded is logged and skipped;
     * of two modules with one name the first found is kept.
     */
    public static List<MgrModule> discoverModules() {
        Map<String, MgrModule> byName = new LinkedHashMap<>();
        Iterator<MgrModule> it = ServiceLoader.load(MgrModule.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                MgrModule module = it.next();
                MgrModule previous = byName.putIfAbsent(module.name(), module);
                if (previous != null) {
                    LOG.warn("two modules are named {} ({} and {}); keeping the first",
                            module.name(), previous.getClass().getName(), module.getClass().getName());
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                LOG.error("cannot load a module: {}", e.getMessage());
            }
        }
        List<MgrModule> modules = new ArrayList<>(byName.values());
        modules.sort(Comparator.comparing(MgrModule::name));
        return modules;
    }

    public List<MgrModule> modules() {
        return modules;
    }

    public Optional<MgrModule> module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Every command, built-ins first, then by module in name order. */
    public List<Entry> commands() {
        return List.copyOf(byPrefix.values());
    }

    /** The command whose prefix is the longest word prefix of {@code words}. */
    public Optional<Match> match(String words) {
        List<String> given = List.of(words.trim().split("\\s+"));
        for (int n = given.size(); n > 0; n--) {
            Entry entry = byPrefix.get(String.join(" ", given.subList(0, n)));
            if (entry != null) {
                return Optional.of(new Match(entry, given.subList(n, given.size())));
            }
        }
        return Optional.empty();
    }

    /** Up to three known prefixes closest to {@code words}, for "did you mean". */
    public List<String> suggestions(String words) {
        String wanted = words.trim();
        return byPrefix.keySet().stream()
                .map(p -> Map.entry(p, distance(p, wanted) - (p.startsWith(firstWord(wanted)) ? 2 : 0)))
                .filter(e -> e.getValue() <= Math.max(3, wanted.length() / 3))
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static String firstWord(String words) {
        int space = words.indexOf(' ');
        return (space < 0 ? words : words.substring(0, space)) + " ";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
