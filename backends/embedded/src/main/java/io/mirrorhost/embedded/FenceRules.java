package io.mirrorhost.embedded;

/**
 * The two decisions of fencing, with no state: whether a take may succeed, and whether a call under a
 * token may run. A taker that knows the stored epoch (or more) gets the next one; one that has missed
 * a take is stale, so that a paused holder which resumes and locks again on its own is refused.
 */
final class FenceRules {

    sealed interface Take {
    }

    /** The fence is now at {@code epoch}. */
    record Granted(long epoch) implements Take {
    }

    /** Someone took the fence beyond what the taker knows: {@code stored}. */
    record Stale(long stored) implements Take {
    }

    private FenceRules() {
    }

    /** {@code stored}: the fence's epoch, 0 if never taken; {@code known}: the taker's. */
    static Take take(long stored, long known) {
        return stored > known ? new Stale(stored) : new Granted(known + 1);
    }

    /** Only the current epoch writes: older ones were superseded, newer ones were never handed out. */
    static boolean admits(long current, long tokenEpoch) {
        return tokenEpoch == current;
    }
}
