package io.mirrorhost.rbd.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.Errno;
import io.mirrorhost.rbd.spec.SpecParser.Modifier;
import io.mirrorhost.rbd.spec.SpecParser.SnapshotPresence;
import io.mirrorhost.rbd.spec.SpecParser.Validation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    private static CommandArgs args(Map<String, Object> values, String... positionals) {
        return new CommandArgs(new CommandRequest("x", values), positionals);
    }

    private static CommandArgs spec(String spec) {
        return args(Map.of("image-spec", spec), "image-spec");
    }

    private static ImageRef image(CommandArgs args, SnapshotPresence presence, Validation validation) {
        return SpecParser.image(args, Modifier.NONE, true, presence, validation);
    }

    private static String error(Runnable action) {
        CommandException e = assertThrows(CommandException.class, action::run);
        assertEquals(Errno.EINVAL, e.errno());
        return e.getMessage();
    }

    @Test
    void imageAloneUsesTheDefaultPool() {
        ImageRef ref = image(spec("img"), SnapshotPresence.NONE, Validation.FULL);
        assertEquals(new ImageRef("", "", "img", ""), ref);
        assertEquals("rbd/img", ref.fullSpec());
        assertEquals("rbd", ref.imageSpec().pool());
    }

    @Test
    void poolNamespaceImageAndSnap() {
        ImageRef ref = image(spec("p/ns/img@s1"), SnapshotPresence.PERMITTED, Validation.NONE);
        assertEquals(new ImageRef("p", "ns", "img", "s1"), ref);
        assertEquals("p/ns/img@s1", ref.fullSpec());
    }

    @Test
    void optionsFillWhatTheSpecLeavesOut() {
        Map<String, Object> values = new HashMap<>();
        values.put("pool", "p");
        values.put("namespace", "ns");
        values.put("image", "img");
        values.put("snap", "s");
        ImageRef ref = image(args(values), SnapshotPresence.REQUIRED, Validation.NONE);
        assertEquals(new ImageRef("p", "ns", "img", "s"), ref);
    }

    @Test
    void specPoolOverridesThePoolOption() {
        ImageRef ref = image(args(Map.of("pool", "p", "image-spec", "q/img"), "image-spec"),
                SnapshotPresence.NONE, Validation.FULL);
        assertEquals("q", ref.pool());
    }

    @Test
    void missingImageIsReportedAsRbdDoes() {
        assertEquals("rbd: image name was not specified",
                error(() -> image(args(Map.of()), SnapshotPresence.NONE, Validation.FULL)));
    }

    @Test
    void snapshotPresenceRules() {
        assertEquals("rbd: snapshot name was not specified",
                error(() -> image(spec("img"), SnapshotPresence.REQUIRED, Validation.SNAP)));
        assertEquals("rbd: snapshot name specified for a command that doesn't use it",
                error(() -> image(spec("img@s"), SnapshotPresence.NONE, Validation.NONE)));
    }

    @Test
    void invalidSpecs() {
        assertEquals("rbd: invalid spec 'a/b/c/d'",
                error(() -> image(spec("a/b/c/d"), SnapshotPresence.NONE, Validation.FULL)));
        assertEquals("rbd: invalid spec 'p/img@a/b'",
                error(() -> image(spec("p/img@a/b"), SnapshotPresence.REQUIRED, Validation.SNAP)));
        // as in rbd, "img@a/b" reads as pool "img@a" and image "b", without a snapshot
        assertEquals("rbd: snapshot name was not specified",
                error(() -> image(spec("img@a/b"), SnapshotPresence.REQUIRED, Validation.SNAP)));
        // relaxed validation keeps everything after '@' as the snapshot name
        assertEquals("a/b", image(spec("p/img@a/b"), SnapshotPresence.PERMITTED, Validation.NONE).snap());
    }

    @Test
    void destinationDefaultsToTheSourcePoolAndTakesTheNextPositional() {
        CommandArgs args = args(Map.of("image-spec", "p/a", "dest-image-spec", "b"), "image-spec", "dest-image-spec");
        ImageRef source = SpecParser.image(args, Modifier.SOURCE, true, SnapshotPresence.NONE, Validation.FULL);
        ImageRef dest = SpecParser.image(args, Modifier.DEST, source, true, SnapshotPresence.NONE, Validation.FULL);
        assertEquals(new ImageRef("p", "", "b", ""), dest);
    }

    @Test
    void imageOptionLeavesThePositionalForTheDestination() {
        CommandArgs args = args(Map.of("image", "a", "image-spec", "b"), "image-spec", "dest-image-spec");
        ImageRef source = SpecParser.image(args, Modifier.SOURCE, true, SnapshotPresence.NONE, Validation.FULL);
        ImageRef dest = SpecParser.image(args, Modifier.DEST, source, true, SnapshotPresence.NONE, Validation.FULL);
        assertEquals("a", source.image());
        assertEquals("b", dest.image());
    }

    @Test
    void missingDestinationNamesTheDestination() {
        CommandArgs args = args(Map.of("image-spec", "a"), "image-spec", "dest-image-spec");
        ImageRef source = SpecParser.image(args, Modifier.SOURCE, true, SnapshotPresence.NONE, Validation.FULL);
        assertEquals("rbd: destination image name was not specified", error(() ->
                SpecParser.image(args, Modifier.DEST, source, true, SnapshotPresence.NONE, Validation.FULL)));
    }

    @Test
    void poolSpecWithNamespace() {
        assertEquals(new PoolRef("p", "ns"), SpecParser.pool(args(Map.of("pool-spec", "p/ns"), "pool-spec"), true));
        assertEquals(new PoolRef("p", ""), SpecParser.pool(args(Map.of("pool-spec", "p"), "pool-spec"), true));
        assertEquals(new PoolRef("", "ns"), SpecParser.pool(args(Map.of("namespace", "ns")), true));
        assertEquals("rbd", SpecParser.pool(args(Map.of()), true).effectivePool());
        assertEquals(new PoolRef("x", ""), SpecParser.pool(args(Map.of("pool", "x", "pool-spec", "y"), "pool-spec"), true));
    }

    @Test
    void invalidPoolSpecs() {
        assertEquals("rbd: invalid pool 'a@b'",
                error(() -> SpecParser.pool(args(Map.of("pool-spec", "a@b"), "pool-spec"), true)));
        assertEquals("rbd: invalid namespace 'n@s'",
                error(() -> SpecParser.pool(args(Map.of("pool-spec", "p/n@s"), "pool-spec"), true)));
    }

    @Test
    void repeatedPositionalsAreConsumedInOrder() {
        CommandArgs args = new CommandArgs(new CommandRequest("x",
                Map.of("image-spec", "img", "features", List.of("journaling", "object-map"))), "image-spec", "features");
        image(args, SnapshotPresence.NONE, Validation.NONE);
        assertEquals(List.of("journaling", "object-map"), args.remainingPositionals());
    }
}
