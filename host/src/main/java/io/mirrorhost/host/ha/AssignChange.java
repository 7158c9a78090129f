package io.mirrorhost.host.ha;

/** A change of the image map that {@link ImageAssigner} decided, for the instances concerned to act on. */
public sealed interface AssignChange {

    ItemKey key();

    /** {@code to} owns the item now and starts its work (after taking the item's fence). */
    record Acquire(ItemKey key, String to) implements AssignChange {
    }

    /** {@code from} is asked to stop its work on the item; {@code to} acquires it once {@code from} acknowledges. */
    record Release(ItemKey key, String from, String to) implements AssignChange {
    }

    /** No instance offers the item any more: it leaves the map and {@code owner} stops its work. */
    record Unmap(ItemKey key, String owner) implements AssignChange {
    }
}
