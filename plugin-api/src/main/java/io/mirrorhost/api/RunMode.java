package io.mirrorhost.api;

/** Where a module runs when a site has several host instances ({@link MgrModule#runMode}). */
public enum RunMode {
    /** On every instance, each acting on its own (commands, status read from the shared cluster). */
    EVERYWHERE,
    /**
     * Started on every instance, but acting only while {@link ModuleContext#leadership()} says this
     * instance leads; its commands and routes are answered by the leader.
     */
    LEADER,
    /** On every instance, each doing the share of the work items that {@link ModuleContext#assignment()} gives it. */
    SPREAD
}
