package io.mirrorhost.it;

import static io.mirrorhost.it.Await.failure;
import static io.mirrorhost.it.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.PeerConnection;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pool-level mirroring through the ceph backend, checked against `rbd mirror pool info` of both sites. */
class MirrorPoolOnCephTest {
    static TwoSites sites;

    @BeforeAll
    static void connect() {
        sites = new TwoSites();
    }

    @AfterAll
    static void close() {
        if (sites != null) {
            sites.close();
        }
    }

    private static JsonObject poolInfo(CephSite site, String pool) {
        return site.rbd("mirror", "pool", "info", pool, "--all", "--format", "json").json();
    }

    @Test
    void siteNameModeAndMirrorUuidAreWhatRbdSees() {
        String pool = CephClusters.unique("mode");
        Cluster a = sites.a;
        result(a.createPool(pool));
        result(a.initPool(pool));
        assertEquals(MirrorMode.DISABLED, result(a.mirrorModeGet(PoolNamespace.of(pool))));
        assertEquals("disabled", poolInfo(sites.siteA, pool).getString("mode"));

        result(a.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.POOL));
        JsonObject info = poolInfo(sites.siteA, pool);
        assertEquals("pool", info.getString("mode"));
        assertEquals("site-a", info.getString("site_name"));
        assertEquals("site-a", result(a.mirrorSiteNameGet()));
        sites.siteA.rbd("mirror", "pool", "enable", pool, "image");
        assertEquals(MirrorMode.IMAGE, result(a.mirrorModeGet(PoolNamespace.of(pool))));

        String uuid = result(a.mirrorUuidGet(pool));
        assertTrue(uuid.matches("[0-9a-f-]{36}"), uuid);
        // cls_rbd keeps it in the omap of rbd_mirroring, which our omap reading sees as well
        assertEquals(uuid, result(a.omapGet(PoolNamespace.of(pool), "rbd_mirroring")).get("mirror_uuid"));

        failure(Errno.ENOENT, a.mirrorModeGet(PoolNamespace.of("no-such-pool")));
        result(a.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.DISABLED));
        assertEquals("disabled", poolInfo(sites.siteA, pool).getString("mode"));
    }

    @Test
    void bootstrapCreateOnAAndImportOnBPeerBothSites() {
        String pool = CephClusters.unique("boot");
        sites.mirroredPool(pool);
        String token = result(sites.a.mirrorPeerBootstrapCreate(pool));
        JsonObject decoded = new JsonObject(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        assertEquals(sites.a.fsid(), decoded.getString("fsid"));
        assertEquals("rbd-mirror-peer", decoded.getString("client_id"));
        assertEquals(sites.siteA.ceph("auth", "get-key", "client.rbd-mirror-peer").out().trim(), decoded.getString("key"));

        result(sites.b.mirrorPeerBootstrapImport(pool, MirrorPeerDirection.RX_TX, token + "\n"));

        JsonArray peersOnB = poolInfo(sites.siteB, pool).getJsonArray("peers");
        assertEquals(1, peersOnB.size());
        JsonObject rbdPeer = peersOnB.getJsonObject(0);
        List<MirrorPeer> ours = result(sites.b.mirrorPeerSiteList(pool));
        assertEquals(1, ours.size());
        MirrorPeer peer = ours.get(0);
        assertEquals(rbdPeer.getString("uuid"), peer.uuid());
        assertEquals("site-a", peer.siteName());
        assertEquals(rbdPeer.getString("direction"), peer.direction().label());
        assertEquals(rbdPeer.getString("client_name"), peer.clientName());
        assertEquals(rbdPeer.getString("mirror_uuid"), peer.mirrorUuid());
        Map<String, String> attributes = result(sites.b.mirrorPeerSiteGetAttributes(pool, peer.uuid()));
        assertEquals(Map.of("mon_host", rbdPeer.getString("mon_host"), "key", rbdPeer.getString("key")), attributes);

        // rx-tx import registers site-b as a peer of site-a too
        JsonArray peersOnA = poolInfo(sites.siteA, pool).getJsonArray("peers");
        assertEquals(1, peersOnA.size());
        assertEquals("site-b", peersOnA.getJsonObject(0).getString("site_name"));
        assertEquals(peersOnA.getJsonObject(0).getString("uuid"), result(sites.a.mirrorPeerSiteList(pool)).get(0).uuid());

        // the peer attributes are what rbd-mirror connects with; so does connectPeer
        Cluster viaPeer = Await.result(CephClusters.provider().connectPeer(sites.vertx,
                new PeerConnection("site-a", peer.clientName(), attributes.get("mon_host"), attributes.get("key"))));
        assertEquals(sites.a.fsid(), viaPeer.fsid());
        assertEquals(MirrorMode.IMAGE, result(viaPeer.mirrorModeGet(PoolNamespace.of(pool))));
        result(viaPeer.close());

        failure(Errno.EINVAL, sites.b.mirrorPeerBootstrapImport(pool, MirrorPeerDirection.RX_TX, "not-a-token"));
    }

    @Test
    void peersAreAddedWithAttributesAndRemovedAsRbdShows() {
        String pool = CephClusters.unique("peer");
        Cluster a = sites.a;
        result(a.createPool(pool));
        result(a.initPool(pool));
        result(a.mirrorModeSet(PoolNamespace.of(pool), MirrorMode.IMAGE));

        String uuid = result(a.mirrorPeerSiteAdd(pool, "remote-x", "client.remote", MirrorPeerDirection.RX_TX));
        JsonObject rbdPeer = poolInfo(sites.siteA, pool).getJsonArray("peers").getJsonObject(0);
        assertEquals(uuid, rbdPeer.getString("uuid"));
        assertEquals("remote-x", rbdPeer.getString("site_name"));
        assertEquals("client.remote", rbdPeer.getString("client_name"));
        failure(Errno.EEXIST, a.mirrorPeerSiteAdd(pool, "remote-x", "client.remote", MirrorPeerDirection.RX_TX));

        result(a.mirrorPeerSiteSetAttributes(pool, uuid, Map.of("mon_host", "127.0.0.1:1", "key", "AQAAAAAAAAAAAA==")));
        rbdPeer = poolInfo(sites.siteA, pool).getJsonArray("peers").getJsonObject(0);
        assertEquals("127.0.0.1:1", rbdPeer.getString("mon_host"));
        assertEquals("AQAAAAAAAAAAAA==", rbdPeer.getString("key"));

        result(a.mirrorPeerSiteRemove(pool, uuid));
        assertTrue(poolInfo(sites.siteA, pool).getJsonArray("peers").isEmpty());
        assertTrue(result(a.mirrorPeerSiteList(pool)).isEmpty());
        // librbd (and `rbd mirror pool peer remove`) treat removing an unknown peer as done
        result(a.mirrorPeerSiteRemove(pool, uuid));
        assertFalse(result(a.configKeyList("rbd/mirror/peer/")).keySet().stream().anyMatch(k -> k.contains(uuid)));
    }

    @Test
    void theDaemonSideCallsAreLeftToRbdMirror() {
        String pool = CephClusters.unique("daemon");
        assertEquals("pinging a peer is done by rbd-mirror on a Ceph cluster",
                failure(Errno.EOPNOTSUPP, sites.a.mirrorPeerPing(pool, "site-b", "uuid")).getMessage());
        failure(Errno.EOPNOTSUPP, sites.a.mirrorImageStatusSet(PoolNamespace.of(pool), "gid", null));
        failure(Errno.EOPNOTSUPP, sites.a.mirrorImageStatusRemove(PoolNamespace.of(pool), "gid", "uuid"));
    }
}
