package io.mirrorhost.schedule;

/** A scheduled image, by Ceph's ids. */
record ImageKey(String poolId, String namespace, String imageId) {

    /** Where its {@link RunRecord} is kept in its pool's record object. */
    String recordKey() {
        return RunRecordStore.key(namespace, imageId);
    }
}
