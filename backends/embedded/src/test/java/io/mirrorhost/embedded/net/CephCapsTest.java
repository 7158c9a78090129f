package io.mirrorhost.embedded.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Ceph caps mean which capability, and what is refused. */
class CephCapsTest {

    private static Capability map(Map<String, String> caps) {
        return CephCaps.capabilityOf("client.x", caps);
    }

    private static ClusterException refused(Map<String, String> caps) {
        ClusterException e = assertThrows(ClusterException.class, () -> map(caps));
        assertEquals(Errno.EINVAL, e.errno());
        return e;
    }

    @Test
    void theThreeProfilesMapOntoTheThreeCapabilities() {
        assertEquals(Capability.ADMIN, map(Map.of("mon", "allow *", "osd", "allow *")));
        assertEquals(Capability.ADMIN, map(Map.of("mon", "allow *", "osd", "allow *", "mgr", "allow *", "mds", "allow *")));
        assertEquals(Capability.ADMIN, map(Map.of("mon", "allow all", "osd", " allow   * ")));
        assertEquals(Capability.RBD_MIRROR_PEER, map(Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd")));
        assertEquals(Capability.RBD_MIRROR_PEER, map(Map.of("mon", "allow profile rbd-mirror-peer",
                "osd", "allow profile rbd", "mgr", "profile rbd")));
        assertEquals(Capability.READ_ONLY, map(Map.of("mon", "profile rbd", "osd", "profile rbd-read-only")));
        assertEquals(Capability.READ_ONLY, map(Map.of("mon", "profile rbd", "osd", "profile rbd-read-only",
                "mgr", "profile rbd")));
    }

    @Test
    void whatNoCapabilityMeansExactlyIsRefusedNamingTheCaps() {
        ClusterException readWrite = refused(Map.of("mon", "profile rbd", "osd", "profile rbd"));
        assertTrue(readWrite.getMessage().startsWith("cannot map caps mon 'profile rbd' osd 'profile rbd' of client.x "
                + "onto the embedded cluster's capabilities; it supports mon 'allow *' osd 'allow *' (admin), "),
                readWrite.getMessage());
        refused(Map.of("mon", "allow *"));
        refused(Map.of("osd", "profile rbd-read-only"));
        refused(Map.of("mon", "profile rbd", "osd", "profile rbd-read-only pool=images"));
        refused(Map.of("mon", "allow r", "osd", "allow rwx"));
        refused(Map.of("mon", "profile rbd", "osd", "profile rbd-read-only", "mds", "allow *"));
        refused(Map.of("mon", "allow *", "osd", "allow *", "mgr", "profile rbd"));
        assertEquals("client.x needs caps: the embedded cluster supports mon 'allow *' osd 'allow *' (admin), "
                + "mon 'profile rbd-mirror-peer' osd 'profile rbd' (rbd-mirror-peer), mon 'profile rbd' osd "
                + "'profile rbd-read-only' (read-only); mgr 'allow *' may be added to the first and mgr 'profile rbd' "
                + "to the others", refused(Map.of()).getMessage());
        assertEquals("unknown cap type 'foo'", refused(Map.of("mon", "allow *", "foo", "allow r")).getMessage());
    }

    @Test
    void eachCapabilityShowsTheCapsCephWouldGiveIt() {
        assertEquals(Map.of("mds", "allow *", "mgr", "allow *", "mon", "allow *", "osd", "allow *"),
                CephCaps.of(Set.of(Capability.ADMIN)));
        assertEquals(Map.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd"),
                CephCaps.of(Set.of(Capability.RBD_MIRROR_PEER)));
        assertEquals(Map.of("mon", "profile rbd", "osd", "profile rbd-read-only"), CephCaps.of(Set.of(Capability.READ_ONLY)));
        for (Capability capability : Capability.values()) {
            assertEquals(capability, map(CephCaps.of(Set.of(capability))), "round trip of " + capability);
        }
    }
}
