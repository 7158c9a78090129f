package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.ClusterException;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Ceph's caps, as {@code ceph auth get-or-create client.x mon 'profile rbd' osd 'profile rbd-read-only'}
 * takes them, mapped onto the {@link Capability capabilities} the embedded cluster enforces. Only the
 * combinations that mean one of them are accepted; anything finer (pool restrictions, other profiles,
 * rwx grants) is refused rather than silently widened or narrowed.
 */
public final class CephCaps {
    /** The services a cap can be given for, as Ceph knows them. */
    private static final Set<String> SERVICES = Set.of("mon", "osd", "mgr", "mds");

    private static final String SUPPORTED = "mon 'allow *' osd 'allow *' (admin), "
            + "mon 'profile rbd-mirror-peer' osd 'profile rbd' (rbd-mirror-peer), "
            + "mon 'profile rbd' osd 'profile rbd-read-only' (read-only); mgr 'allow *' may be added to the first "
            + "and mgr 'profile rbd' to the others";

    private CephCaps() {
    }

    /** EINVAL naming the first cap whose service Ceph would not know ({@code unknown cap type 'foo'}). */
    public static void checkServices(Map<String, String> caps) {
        for (String service : caps.keySet()) {
            if (!SERVICES.contains(service)) {
                throw ClusterException.invalid("unknown cap type '" + service + "'");
            }
        }
    }

    /** The capability {@code caps} grant; EINVAL if they mean none of them exactly. */
    public static Capability capabilityOf(String entity, Map<String, String> caps) {
        checkServices(caps);
        if (caps.isEmpty()) {
            throw ClusterException.invalid(entity + " needs caps: the embedded cluster supports " + SUPPORTED);
        }
        String mon = normalized(caps.get("mon"));
        String osd = normalized(caps.get("osd"));
        String mgr = normalized(caps.get("mgr"));
        String mds = normalized(caps.get("mds"));
        if (isAll(mon) && isAll(osd) && (mgr == null || isAll(mgr)) && (mds == null || isAll(mds))) {
            return Capability.ADMIN;
        }
        boolean rbdMgr = mgr == null || mgr.equals("profile rbd");
        if ("profile rbd-mirror-peer".equals(mon) && "profile rbd".equals(osd) && rbdMgr && mds == null) {
            return Capability.RBD_MIRROR_PEER;
        }
        if ("profile rbd".equals(mon) && "profile rbd-read-only".equals(osd) && rbdMgr && mds == null) {
            return Capability.READ_ONLY;
        }
        throw ClusterException.invalid("cannot map caps " + describe(caps) + " of " + entity
                + " onto the embedded cluster's capabilities; it supports " + SUPPORTED);
    }

    /** The caps Ceph would show for a client holding {@code caps} (the strongest one, if several). */
    public static SortedMap<String, String> of(Set<Capability> caps) {
        SortedMap<String, String> ceph = new TreeMap<>();
        if (caps.contains(Capability.ADMIN)) {
            ceph.put("mds", "allow *");
            ceph.put("mgr", "allow *");
            ceph.put("mon", "allow *");
            ceph.put("osd", "allow *");
        } else if (caps.contains(Capability.RBD_MIRROR_PEER)) {
            ceph.put("mon", "profile rbd-mirror-peer");
            ceph.put("osd", "profile rbd");
        } else if (caps.contains(Capability.READ_ONLY)) {
            ceph.put("mon", "profile rbd");
            ceph.put("osd", "profile rbd-read-only");
        }
        return ceph;
    }

    /** {@code mon 'profile rbd' osd 'profile rbd'}, as the caps were typed. */
    static String describe(Map<String, String> caps) {
        return new TreeMap<>(caps).entrySet().stream().map(e -> e.getKey() + " '" + e.getValue() + "'")
                .collect(Collectors.joining(" "));
    }

    /** Ceph's grammar allows {@code allow profile rbd} for {@code profile rbd} and any spacing. */
    private static String normalized(String cap) {
        if (cap == null) {
            return null;
        }
        String words = cap.trim().replaceAll("\\s+", " ");
        return words.startsWith("allow profile ") ? words.substring("allow ".length()) : words;
    }

    private static boolean isAll(String cap) {
        return "allow *".equals(cap) || "allow all".equals(cap);
    }
}
