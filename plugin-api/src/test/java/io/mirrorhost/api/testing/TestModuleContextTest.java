package io.mirrorhost.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestModuleContextTest {

    private record Module(RunMode runMode) implements MgrModule {
        @Override
        public String name() {
            return "demo";
        }

        @Override
        public Future<Void> start(ModuleContext context) {
            return Future.succeededFuture();
        }
    }

    private static TestModuleContext context(RunMode mode) {
        return new TestModuleContext(null, "site-a", null, null, new Module(mode));
    }

    @Test
    void byDefaultTheModuleRunsOnALoneInstanceThatLeads() {
        TestModuleContext context = context(RunMode.LEADER);
        assertEquals(Optional.of(TestModuleContext.SOLO_TERM), context.leadership().term());
        assertEquals(List.of("test-instance"), context.site().instanceNames());
        assertEquals("module demo runs LEADER: only a SPREAD module has a work assignment",
            assertThrows(IllegalStateException.class, context::assignment).getMessage());
    }

    @Test
    void theTestMovesLeadershipAndReadsWhatTheModuleReportedRefused() {
        FakeLeadership leadership = FakeLeadership.standby();
        TestModuleContext context = context(RunMode.LEADER).withLeadership(leadership);
        List<Optional<FenceToken>> heard = new ArrayList<>();
        context.leadership().onChange(heard::add);

        leadership.change(Optional.of(new FenceToken("leader", 4)));
        context.leadership().refused(new FenceToken("leader", 4));
        leadership.change(Optional.empty());

        assertEquals(List.of(Optional.of(new FenceToken("leader", 4)), Optional.empty()), heard);
        assertEquals(List.of(new FenceToken("leader", 4)), leadership.refusedTerms());
    }

    @Test
    void theTestAssignsItemsToASpreadModuleAndReadsItsOffersAndAcks() {
        FakeWorkAssignment assignment = new FakeWorkAssignment();
        TestModuleContext context = context(RunMode.SPREAD).withAssignment(assignment);
        List<AssignmentChange> heard = new ArrayList<>();
        context.assignment().onChange(heard::add);

        context.assignment().offer("rbd/", Set.of("a", "b"));
        assignment.acquire("rbd/", "a", new FenceToken("replay/rbd//a", 1));
        assignment.release("rbd/", "a");
        context.assignment().released("rbd/", "a");

        assertEquals(Set.of("a", "b"), assignment.offered("rbd/"));
        assertEquals(List.of(new AssignmentChange.Acquire("rbd/", "a", new FenceToken("replay/rbd//a", 1)),
            new AssignmentChange.Release("rbd/", "a")), heard);
        assertEquals(Set.of(), context.assignment().mine("rbd/"));
        assertEquals(List.of("rbd//a"), assignment.releasedItems());
    }
}
