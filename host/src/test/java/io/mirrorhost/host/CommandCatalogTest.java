package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.MgrModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCatalogTest {
    private final CommandCatalog catalog = CommandCatalog.load();

    @Test
    void findsTheModulesRegisteredWithServiceLoaderWithoutStartingThem() {
        assertEquals(List.of("broken", "core", "echo", "optin"),
                catalog.modules().stream().map(MgrModule::name).toList());
    }

    @Test
    void listsBuiltinsUnderMgrThenModuleCommands() {
        List<String> prefixes = catalog.commands().stream().map(e -> e.module() + ":" + e.spec().prefix()).toList();
        assertEquals(List.of("mgr:mgr module ls", "mgr:mgr module enable", "mgr:mgr module disable", "mgr:mgr stat",
                "mgr:mgr dump", "mgr:config get", "mgr:config set", "mgr:config rm", "mgr:config ls"),
                prefixes.subList(0, 9));
        assertTrue(prefixes.contains("echo:echo greet"));
        assertTrue(prefixes.contains("core:core status"));
    }

    @Test
    void longestPrefixWins() {
        CommandCatalog.Match match = catalog.match("echo greet bob").orElseThrow();
        assertEquals("echo greet", match.entry().spec().prefix());
        assertEquals(List.of("bob"), match.extraWords());
        assertEquals("echo", catalog.match("echo hello").orElseThrow().entry().spec().prefix());
        assertTrue(catalog.match("nothing at all").isEmpty());
    }

    @Test
    void builtinsDescribedWithoutAHostSayWhoServesThem() throws Exception {
        var result = catalog.match("mgr module ls").orElseThrow().entry().spec().handler()
                .handle(new io.mirrorhost.api.CommandRequest("mgr module ls", java.util.Map.of()))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(-95, result.code());
        assertEquals("rbdm: 'mgr module ls' is served by a running host (bin/mirrorhost)", result.stderr());
    }
}
