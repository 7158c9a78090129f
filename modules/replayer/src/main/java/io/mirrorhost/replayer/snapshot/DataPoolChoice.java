package io.mirrorhost.replayer.snapshot;

import java.util.Collection;

/** Which data pool a new non-primary image gets (notes §4.4, the guide's rules). */
public final class DataPoolChoice {
    private DataPoolChoice() {
    }

    /**
     * @param defaultDataPool  the local {@code rbd_default_data_pool}, empty when unset
     * @param remoteDataPool   the remote image's data pool, or null
     * @param remotePool       the remote image's (metadata) pool
     * @param localPools       the local pools' names
     * @return the data pool to create the image with, or null for none
     */
    public static String choose(String defaultDataPool, String remoteDataPool, String remotePool,
                                Collection<String> localPools) {
        if (defaultDataPool != null && !defaultDataPool.isEmpty()) {
            return defaultDataPool;
        }
        if (remoteDataPool != null && !remoteDataPool.isEmpty() && !remoteDataPool.equals(remotePool)
                && localPools.contains(remoteDataPool)) {
            return remoteDataPool;
        }
        return null;
    }
}
