package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileAccessTest {
    private static final List<ArgSpec> SPECS = List.of(ArgSpec.positional("path-name", ArgType.PATH, "a file"),
            ArgSpec.positional("image-spec", ArgType.STRING, "an image"));

    @ParameterizedTest(name = "file_dir {0}, local {1}, path {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        // no file_dir: the local rbdm names any file, a remote caller none
        "NONE|true|/etc/shadow|ok",
        "NONE|false|/srv/images/a.img|permission denied: argument 'path-name' names a file on the host, which"
                + " remote callers may not do unless the host's conf sets [host] file_dir (files are then"
                + " confined to that directory)",
        "NONE|false|-|ok",
        // file_dir: everyone is confined to it, ../ and relative paths included
        "/srv/images|false|/srv/images/a.img|ok",
        "/srv/images|true|/srv/images/sub/a.img|ok",
        "/srv/images|true|/etc/shadow|permission denied: argument 'path-name' names /etc/shadow, outside"
                + " the host's file directory /srv/images ([host] file_dir)",
        "/srv/images|false|/srv/images/../../etc/shadow|permission denied: argument 'path-name' names"
                + " /srv/images/../../etc/shadow, outside the host's file directory /srv/images ([host] file_dir)",
        "/srv/images|false|/srv/images-other/a.img|permission denied: argument 'path-name' names"
                + " /srv/images-other/a.img, outside the host's file directory /srv/images ([host] file_dir)",
        "/srv/images|false|a.img|permission denied: argument 'path-name' names a.img, outside the host's"
                + " file directory /srv/images ([host] file_dir)",
        "/srv/images|false|/srv/images|permission denied: argument 'path-name' names /srv/images, outside"
                + " the host's file directory /srv/images ([host] file_dir)",
        "/srv/images|false|-|ok"})
    void pathsAreConfined(String fileDir, boolean local, String path, String outcome) {
        FileAccess access = new FileAccess(Optional.ofNullable(fileDir).map(Path::of), local);
        Map<String, Object> args = Map.of("path-name", path, "image-spec", "/etc/shadow");
        if (outcome.equals("ok")) {
            access.check(SPECS, args);
        } else {
            CommandException e = assertThrows(CommandException.class, () -> access.check(SPECS, args));
            assertEquals(outcome, e.getMessage());
            assertEquals(13, e.errno().code());
        }
    }
}
