package io.mirrorhost.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.MgrModule;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RbdModuleTest {

    @Test
    void registeredAsAnAlwaysOnModule() {
        List<MgrModule> found = ServiceLoader.load(MgrModule.class).stream().map(ServiceLoader.Provider::get)
                .filter(m -> m.name().equals("rbd")).toList();
        assertEquals(1, found.size());
        assertTrue(found.get(0).alwaysOn());
        assertTrue(found.get(0) instanceof RbdModule);
    }

    @Test
    void declaresRbdsCommandsOnceEach() {
        List<CommandSpec> commands = new RbdModule().commands();
        Set<String> prefixes = new HashSet<>();
        for (CommandSpec c : commands) {
            assertTrue(prefixes.add(c.prefix()), "duplicate command " + c.prefix());
            Set<String> names = new HashSet<>();
            c.args().forEach(a -> assertTrue(names.add(a.name()), c.prefix() + ": duplicate argument " + a.name()));
            assertTrue(!c.help().isEmpty(), c.prefix() + " has no help");
        }
        for (String prefix : List.of("create", "ls", "list", "info", "rm", "remove", "resize", "rename", "mv",
                "feature enable", "feature disable", "snap create", "snap ls", "snap rm", "snap purge", "snap rollback",
                "snap protect", "snap unprotect", "diff", "export", "import", "bench", "pool init", "pool create",
                "pool ls", "pool rm", "namespace create", "namespace ls", "namespace rm", "mirror pool enable")) {
            assertTrue(prefixes.contains(prefix), "missing " + prefix);
        }
        CommandSpec create = commands.stream().filter(c -> c.prefix().equals("create")).findFirst().orElseThrow();
        assertTrue(create.args().stream().anyMatch(a -> a.name().equals("size") && a.aliases().contains("-s")
                && a.aliases().contains("--size")));
        assertTrue(create.args().stream().anyMatch(a -> a.name().equals("image-feature") && a.repeated()));
    }

    @Test
    void commandsBeforeStartAskToRetry() throws Exception {
        CommandSpec info = new RbdModule().commands().stream().filter(c -> c.prefix().equals("info"))
                .findFirst().orElseThrow();
        var result = info.handler().handle(new CommandRequest("info", Map.of("image-or-snap-spec", "x")));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> result.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof CommandException ce && ce.errno() == Errno.EAGAIN, e::toString);
    }
}
