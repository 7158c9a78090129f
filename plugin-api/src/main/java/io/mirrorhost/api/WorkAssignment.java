package io.mirrorhost.api;

import java.util.Set;
import java.util.function.Consumer;

/**
 * How a {@link RunMode#SPREAD} module shares its work items (the replayer: images) with the other
 * instances of the site: each instance offers the items it sees, the host assigns each item to one
 * instance, and tells each module which items are its own. Items are grouped in scopes (the
 * replayer: {@code pool/namespace}).
 */
public interface WorkAssignment {

    /**
     * The complete item set of {@code scope} as this instance sees it now, offered whenever it changes
     * (the leader's offer decides the set).
     */
    void offer(String scope, Set<String> items);

    /**
     * Registers a listener, called on the module's context with each {@link AssignmentChange.Acquire} and
     * {@link AssignmentChange.Release} of this instance's items. Register in {@code start}; the host drops
     * the listeners when the module stops.
     */
    void onChange(Consumer<AssignmentChange> listener);

    /** Acknowledges a {@link AssignmentChange.Release}: the item's work has stopped and its writes completed. */
    void released(String scope, String item);

    /** The items of {@code scope} assigned to this instance now. */
    Set<String> mine(String scope);
}
