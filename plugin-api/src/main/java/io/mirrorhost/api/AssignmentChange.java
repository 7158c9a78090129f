package io.mirrorhost.api;

import io.mirrorhost.api.cluster.FenceToken;

/** A change of the work items assigned to this instance ({@link WorkAssignment#onChange}). */
public sealed interface AssignmentChange {

    String scope();

    String item();

    /** The item is this instance's now: do its work, writing through {@code cluster().fenced(token)}. */
    record Acquire(String scope, String item, FenceToken token) implements AssignmentChange {
    }

    /** The item is moving away: stop its work, let its writes complete, then call {@link WorkAssignment#released}. */
    record Release(String scope, String item) implements AssignmentChange {
    }
}
