package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.Errno;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectStepsTest {
    @Test
    void millionsOfStepsThatCompleteAtOnceRunInOneLoop() {
        long[] ran = {0};
        Future<Void> done = ObjectSteps.run(3_000_000, new Cancellation(), i -> {
            ran[0]++;
            return Future.succeededFuture();
        });
        assertTrue(done.succeeded());
        assertEquals(3_000_000, ran[0]);
    }

    @Test
    void stepsWaitForEachOtherAndStopAtTheFirstFailure() {
        List<Promise<Void>> pending = new ArrayList<>();
        Future<Void> done = ObjectSteps.run(5, new Cancellation(), i -> {
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        });
        assertEquals(1, pending.size());
        pending.get(0).complete();
        assertEquals(2, pending.size());
        pending.get(1).fail(new IllegalStateException("read failed"));
        assertEquals(2, pending.size());
        assertEquals("read failed", done.cause().getMessage());
    }

    @Test
    void aClientGoneStopsAtTheNextStep() {
        Cancellation cancellation = new Cancellation();
        List<Promise<Void>> pending = new ArrayList<>();
        Future<Void> done = ObjectSteps.run(1_000_000, cancellation, i -> {
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        });
        pending.get(0).complete();
        cancellation.cancel();
        pending.get(1).complete();
        assertEquals(2, pending.size());
        assertEquals(Errno.ECANCELED, ((CommandException) done.cause()).errno());
    }
}
