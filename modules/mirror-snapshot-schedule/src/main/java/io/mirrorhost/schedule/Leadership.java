package io.mirrorhost.schedule;

/**
 * Which host instance takes the scheduled snapshots: exactly one at a time, so that each due run
 * is taken once. {@link StoreLease} implements it over the module store; a Hazelcast lock can
 * replace it later without touching the scheduler.
 */
interface Leadership {
    boolean isLeader();

    /**
     * Starts competing; {@code onGained} runs whenever this instance becomes the leader,
     * {@code onLost} whenever it stops being one while competing (on whichever thread noticed).
     */
    void start(Runnable onGained, Runnable onLost);

    /** Stops competing and gives the leadership up. */
    void stop();

    /** Stops competing without giving up (a crash, for tests): others take over once the lease expires. */
    void abandon();
}
