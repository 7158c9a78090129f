package io.mirrorhost.host;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values of module options: set at run time ({@code config set}, kept in the cluster's config-key
 * store under {@value #KEY_PREFIX}MODULE/OPTION), else from the conf section {@code [mgr/MODULE]}, else the
 * declared default. Every value is checked against its {@link OptionSpec} before it is accepted (conf values
 * by {@link OptionCheck}, all of them at once), so a module reading one ({@link #typedValue}) never meets a bad one.
 */
final class ModuleOptions {
    static final String KEY_PREFIX = "config/mgr/";
    private static final Logger LOG = LoggerFactory.getLogger(ModuleOptions.class);

    private final Map<String, MgrModule> modules = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> confValues = new LinkedHashMap<>();
    private final Map<String, String> runtimeValues = new ConcurrentHashMap<>();
    private final ConfigKeyStore cluster;

    /** @throws SiteConf.ConfException listing every conf value its option's declaration refuses */
    ModuleOptions(List<MgrModule> modules, SiteConf conf, ConfigKeyStore cluster) {
        this.cluster = cluster;
        List<String> problems = new ArrayList<>();
        for (MgrModule module : modules) {
            this.modules.put(module.name(), module);
            Map<String, String> values = conf.moduleOptions(module.name());
            warnUndeclared(conf, module, values);
            OptionCheck.invalidValues(module.options(), values)
                    .forEach(problem -> problems.add("[mgr/" + module.name() + "] " + problem));
            confValues.put(module.name(), values);
        }
        if (!problems.isEmpty()) {
            throw new SiteConf.ConfException(conf.file() + ": " + String.join("; ", problems));
        }
    }

    private void warnUndeclared(SiteConf conf, MgrModule module, Map<String, String> values) {
        values.keySet().stream().filter(option -> find(module.name(), option).isEmpty()).forEach(option ->
                LOG.warn("{}: [mgr/{}] sets '{}', which module {} does not declare; ignoring it",
                        conf.file(), module.name(), option, module.name()));
    }

    /** Reads the values set at run time; a stored value its declaration now refuses is ignored with a warning. */
    Future<Void> load() {
        return cluster.configKeyList(KEY_PREFIX).map(stored -> {
            stored.forEach((key, value) -> {
                String name = key.substring(KEY_PREFIX.length());
                int slash = name.indexOf('/');
                if (slash <= 0) {
                    return;
                }
                String module = name.substring(0, slash);
                String option = name.substring(slash + 1);
                try {
                    spec(module, option).parse(value);
                    runtimeValues.put(name, value);
                } catch (CommandException e) {
                    LOG.warn("ignoring stored value of mgr/{}: {}", name, e.getMessage());
                }
            });
            return null;
        });
    }

    /** The declaration of an option. */
    OptionSpec<?> spec(String module, String option) {
        return find(module, option).orElseThrow(() -> new CommandException(Errno.EINVAL,
                "unrecognized config option 'mgr/" + module + "/" + option + "'"));
    }

    private Optional<OptionSpec<?>> find(String module, String option) {
        MgrModule m = modules.get(module);
        if (m == null) {
            return Optional.empty();
        }
        return m.options().stream().filter(o -> o.name().equals(option)).findFirst();
    }

    /** The current value as text: as set at run time, else from the conf, else the declared default. */
    String value(String module, String option) {
        OptionSpec<?> spec = spec(module, option);
        String given = givenValue(module, option);
        return given != null ? given : spec.defaultValue();
    }

    /** The current value as the module reads it, typed by its declaration. */
    <T> T typedValue(String module, OptionSpec<T> option) {
        if (find(module, option.name()).orElse(null) != option) {
            throw new IllegalArgumentException("module " + module + " has no option '" + option.name() + "'");
        }
        String given = givenValue(module, option.name());
        return given != null ? option.parse(given) : option.parseDefault();
    }

    /** The value set at run time or in the conf, or null when the default applies. */
    private String givenValue(String module, String option) {
        String runtime = runtimeValues.get(module + "/" + option);
        return runtime != null ? runtime : confValues.getOrDefault(module, Map.of()).get(option);
    }

    /** Every declared option of a module with its current value, in declaration order. */
    Map<String, String> values(String module) {
        Map<String, String> values = new LinkedHashMap<>();
        MgrModule m = modules.get(module);
        if (m != null) {
            m.options().forEach(o -> values.put(o.name(), value(module, o.name())));
        }
        return values;
    }

    /** Checks and stores a value; fails with EINVAL naming the problem if the declaration refuses it. */
    Future<Void> set(String module, String option, String value) {
        OptionSpec<?> spec = spec(module, option);
        try {
            spec.parse(value);
        } catch (CommandException e) {
            throw CommandException.invalid("error parsing value: " + e.getMessage());
        }
        return cluster.configKeySet(KEY_PREFIX + module + "/" + option, value)
                .onSuccess(v -> runtimeValues.put(module + "/" + option, value));
    }

    /** Forgets the run-time value; the conf value or the default applies again. */
    Future<Void> remove(String module, String option) {
        spec(module, option);
        return cluster.configKeyRemove(KEY_PREFIX + module + "/" + option)
                .recover(e -> ClusterErrors.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e))
                .onSuccess(v -> runtimeValues.remove(module + "/" + option));
    }
}
