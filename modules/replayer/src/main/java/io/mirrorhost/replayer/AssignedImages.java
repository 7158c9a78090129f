package io.mirrorhost.replayer;

import io.mirrorhost.api.AssignmentChange;
import io.mirrorhost.api.WorkAssignment;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.PoolNamespace;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This instance's share of the images, from the host's {@link WorkAssignment}: the fence token of each
 * image assigned here, by scope ({@code pool/namespace}), kept while a namespace replayer restarts, and
 * the namespace replayer each change goes to. A release is acknowledged once the image's replayer has
 * stopped and its writes have completed, at once when no replayer runs it.
 */
final class AssignedImages {
    private final WorkAssignment assignment;
    private final Map<String, Map<String, FenceToken>> tokens = new HashMap<>();
    private final Map<String, NamespaceReplayer> replayers = new HashMap<>();

    AssignedImages(WorkAssignment assignment) {
        this.assignment = assignment;
    }

    /** The scope of a namespace's images, as offered and assigned. */
    static String scope(PoolNamespace local) {
        return local.pool() + "/" + local.namespace();
    }

    void offer(String scope, Set<String> globalIds) {
        assignment.offer(scope, globalIds);
    }

    /** The token of an image assigned here; empty if it is not. */
    synchronized Optional<FenceToken> token(String scope, String globalId) {
        return Optional.ofNullable(tokens.getOrDefault(scope, Map.of()).get(globalId));
    }

    synchronized void attach(String scope, NamespaceReplayer replayer) {
        replayers.put(scope, replayer);
    }

    synchronized void detach(String scope, NamespaceReplayer replayer) {
        replayers.remove(scope, replayer);
    }

    void changed(AssignmentChange change) {
        String scope = change.scope();
        NamespaceReplayer replayer;
        synchronized (this) {
            replayer = replayers.get(scope);
            if (change instanceof AssignmentChange.Acquire acquire) {
                tokens.computeIfAbsent(scope, s -> new HashMap<>()).put(acquire.item(), acquire.token());
            } else {
                tokens.getOrDefault(scope, new HashMap<>()).remove(change.item());
            }
        }
        if (change instanceof AssignmentChange.Acquire acquire) {
            if (replayer != null) {
                replayer.acquired(acquire.item(), acquire.token());
            }
        } else if (replayer == null) {
            assignment.released(scope, change.item());
        } else {
            replayer.release(change.item()).onComplete(ar -> assignment.released(scope, change.item()));
        }
    }
}
