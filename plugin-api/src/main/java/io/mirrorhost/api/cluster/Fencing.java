package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Fences: epochs the storage itself checks, so that a holder that lost its lease while paused
 * cannot write when it resumes. Whoever is about to act alone for a name (the site's leader, the
 * instance replaying an image) takes the fence first, then makes every write of that work through
 * {@link #fenced} with the token it got. A later {@code fenceTake} of the same name refuses the
 * older token's writes with ESHUTDOWN (Ceph's {@code EBLOCKLISTED}).
 */
public interface Fencing {

    /**
     * Takes fence {@code name}, called once when this client starts to act for it (leadership gained,
     * an image assigned). {@code known} is the largest epoch of this fence the caller has learned (from
     * its peers, or from {@link #fenceGet} when it is alone): the take succeeds only when the stored epoch
     * is not above it, and stores {@code known + 1}. ESTALE, naming the stored epoch, when someone has
     * taken the fence beyond what the caller knows. The returned token is valid once no write under an
     * older epoch is still running.
     */
    Future<FenceToken> fenceTake(String name, long known, String holder);

    /** The fence's stored record, read for a status display or, alone, to learn {@code known}; empty if never taken. */
    Future<Optional<FenceRecord>> fenceGet(String name);

    /**
     * A view of this cluster whose mutating calls, and those of the images opened through it, carry
     * {@code token}: made once per token, by whoever took it, for the writes of that work. Closing the
     * view leaves this cluster open.
     */
    Cluster fenced(FenceToken token);
}
