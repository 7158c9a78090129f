package io.mirrorhost.host;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.ConfigKeyStore;
import io.vertx.core.Future;
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
 * declared default. Every value is checked against its {@link OptionSpec} before it is accepted.
 */
final class ModuleOptions {
    static final String KEY_PREFIX = "config/mgr/";
    private static final Logger LOG = LoggerFactory.getLogger(ModuleOptions.class);

    private final Map<String, MgrModule> modules = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> confValues = new LinkedHashMap<>();
    private final Map<String, String> runtimeValues = new ConcurrentHashMap<>();
    private final ConfigKeyStore cluster;

    /** @throws SiteConf.ConfException if the conf gives an option a value its declaration refuses */
    ModuleOptions(List<MgrModule> modules, SiteConf conf, ConfigKeyStore cluster) {
        this.cluster = cluster;
        for (MgrModule module : modules) {
            this.modules.put(module.name(), module);
            Map<String, String> values = conf.moduleOptions(module.name());
            values.forEach((option, value) -> checkConfValue(conf, module, option, value));
            confValues.put(module.name(), values);
        }
    }

    private void checkConfValue(SiteConf conf, MgrModule module, String option, String value) {
        Optional<OptionSpec> spec = find(module.name(), option);
        if (spec.isEmpty()) {
            LOG.warn("{}: [mgr/{}] sets '{}', which module {} does not declare; ignoring it",
                    conf.file(), module.name(), option, module.name());
            return;
        }
        try {
            ArgumentParser.parseOption(spec.get(), value);
        } catch (CommandException e) {
            throw new SiteConf.ConfException(conf.file() + ": [mgr/" + module.name() + "] " + e.getMessage());
        }
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
                    ArgumentParser.parseOption(spec(module, option), value);
                    runtimeValues.put(name, value);
                } catch (CommandException e) {
                    LOG.warn("ignoring stored value of mgr/{}: {}", name, e.getMessage());
                }
            });
            return null;
        });
    }

    /** The declaration of an option. */
    OptionSpec spec(String module, String option) {
        return find(module, option).orElseThrow(() -> new CommandException(Errno.EINVAL,
                "unrecognized config option 'mgr/" + module + "/" + option + "'"));
    }

    private Optional<OptionSpec> find(String module, String option) {
        MgrModule m = modules.get(module);
        if (m == null) {
            return Optional.empty();
        }
        return m.options().stream().filter(o -> o.name().equals(option)).findFirst();
    }

    /** The current value as text, or null if the option has no value and no default. */
    String value(String module, String option) {
        OptionSpec spec = spec(module, option);
        String runtime = runtimeValues.get(module + "/" + option);
        if (runtime != null) {
            return runtime;
        }
        String fromConf = confValues.getOrDefault(module, Map.of()).get(option);
        return fromConf != null ? fromConf : spec.defaultValue();
    }

    /**
     * The current value as a module reads it: sizes in bytes ({@code 1G} → {@code 1073741824}), booleans as
     * {@code true}/{@code false}, numbers in plain digits, so that {@code longOption}/{@code boolOption} work.
     */
    String canonicalValue(String module, String option) {
        OptionSpec spec = spec(module, option);
        String value = value(module, option);
        if (value == null) {
            return null;
        }
        try {
            return String.valueOf(ArgumentParser.parseOption(spec, value));
        } catch (CommandException e) {
            return value; // only a default the module itself declared can be malformed here
        }
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
        OptionSpec spec = spec(module, option);
        ArgumentParser.parseOption(spec, value);
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
