package io.mirrorhost.host.ha;

import java.util.Comparator;

/** One work item of a SPREAD module: the replayer's {@code pool/namespace} scope and an image global id. */
public record ItemKey(String scope, String item) implements Comparable<ItemKey> {
    private static final Comparator<ItemKey> ORDER = Comparator.comparing(ItemKey::scope).thenComparing(ItemKey::item);

    @Override
    public int compareTo(ItemKey other) {
        return ORDER.compare(this, other);
    }
}
