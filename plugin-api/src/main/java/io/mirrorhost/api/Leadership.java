package io.mirrorhost.api;

import io.mirrorhost.api.cluster.FenceToken;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether this instance leads its site, and the fencing term it leads with. A {@link RunMode#LEADER}
 * module acts only while {@link #term()} is present and makes each write it makes because it leads
 * through {@code cluster().fenced(term)}, reading the term again for every write (never cached across
 * {@link #onChange}), so that the storage refuses the writes of a leader that was superseded.
 */
public interface Leadership {

    /** This instance's current term while it leads; empty while it is a standby. */
    Optional<FenceToken> term();

    default boolean isLeader() {
        return term().isPresent();
    }

    /**
     * Registers a listener, called on the module's context whenever {@link #term()} changes: present when
     * leadership is gained, empty when it is lost. Register in {@code start}; the host drops the
     * listeners when the module stops.
     */
    void onChange(Consumer<Optional<FenceToken>> listener);

    /**
     * Reports that a write made under {@code stale} was refused (ESHUTDOWN): another instance leads now.
     * The module stops acting at once; the host confirms with {@code onChange(empty)}.
     */
    void refused(FenceToken stale);
}
