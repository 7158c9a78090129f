package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.ceph.jna.LibRados;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Monitor commands through {@code rados_mon_command} (blocking): the config-key store as
 * {@code ceph config-key get/set/rm/dump} reach it, and the pool list with applications.
 */
final class MonCommands {
    private final Pointer cluster;

    MonCommands(Pointer cluster) {
        this.cluster = cluster;
    }

    /** What a monitor command answered: return code, output and status text. */
    record Reply(int rc, byte[] out, String status) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    Reply run(JsonObject command) {
        PointerByReference out = new PointerByReference();
        LongByReference outLen = new LongByReference();
        PointerByReference status = new PointerByReference();
        LongByReference statusLen = new LongByReference();
        int rc = LibRados.INSTANCE.rados_mon_command(cluster, new String[] {command.encode()}, 1, null, 0,
                out, outLen, status, statusLen);
        byte[] outBytes = take(out.getValue(), outLen.getValue());
        byte[] statusBytes = take(status.getValue(), statusLen.getValue());
        return new Reply(rc, outBytes, new String(statusBytes, StandardCharsets.UTF_8));
    }

    private static byte[] take(Pointer buffer, long length) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = buffer.getByteArray(0, (int) length);
        LibRados.INSTANCE.rados_buffer_free(buffer);
        return bytes;
    }

    private Reply runChecked(JsonObject command, String operation) {
        Reply reply = run(command);
        if (reply.rc() < 0) {
            Errno errno = Errno.of(reply.rc());
            throw new ClusterException(errno, "cannot " + operation + ": " + errno.describe()
                    + (reply.status().isBlank() ? "" : ": " + reply.status().trim()));
        }
        return reply;
    }

    Optional<String> configKeyGet(String key) {
        Reply reply = run(new JsonObject().put("prefix", "config-key get").put("key", key));
        if (reply.rc() == -Errno.ENOENT.code()) {
            return Optional.empty();
        }
        CephErrors.check(reply.rc(), "get config-key " + key);
        return Optional.of(reply.text());
    }

    void configKeySet(String key, String value) {
        runChecked(new JsonObject().put("prefix", "config-key set").put("key", key).put("val", value),
                "set config-key " + key);
    }

    void configKeyRemove(String key) {
        Reply reply = run(new JsonObject().put("prefix", "config-key rm").put("key", key));
        if (reply.rc() != -Errno.ENOENT.code()) {
            CephErrors.check(reply.rc(), "remove config-key " + key);
        }
    }

    /** Every key starting with {@code prefix}, sorted ({@code ceph config-key dump PREFIX}). */
    Map<String, String> configKeyList(String prefix) {
        Reply reply = runChecked(new JsonObject().put("prefix", "config-key dump").put("key", prefix)
                .put("format", "json"), "list config-keys");
        Map<String, String> keys = new TreeMap<>();
        String text = reply.text().trim();
        if (text.isEmpty()) {
            return keys;
        }
        new JsonObject(text).forEach(e -> {
            if (e.getKey().startsWith(prefix)) {
                keys.put(e.getKey(), String.valueOf(e.getValue()));
            }
        });
        return keys;
    }

    /** Pools with ids and whether the rbd application is enabled on them ({@code osd pool ls detail}). */
    List<PoolInfo> listPools() {
        Reply reply = runChecked(new JsonObject().put("prefix", "osd pool ls").put("detail", "detail")
                .put("format", "json"), "list pools");
        List<PoolInfo> pools = new ArrayList<>();
        for (Object o : new JsonArray(reply.text())) {
            JsonObject pool = (JsonObject) o;
            JsonObject apps = pool.getJsonObject("application_metadata", new JsonObject());
            pools.add(new PoolInfo(pool.getLong("pool_id", pool.getLong("pool", -1L)), pool.getString("pool_name"),
                    apps.containsKey("rbd")));
        }
        return pools;
    }

    /** A pool's name from its id ({@code rados_pool_reverse_lookup}). */
    String poolName(long id) {
        byte[] buf = new byte[256];
        int rc = LibRados.INSTANCE.rados_pool_reverse_lookup(cluster, id, buf, buf.length);
        CephErrors.check(rc, errno -> errno == Errno.ENOENT ? "pool id " + id + " does not exist"
                : CephErrors.failed("look up pool id " + id, errno));
        return NativeText.cString(buf);
    }

    static Map<String, String> ordered(Map<String, String> map) {
        return new LinkedHashMap<>(map);
    }
}
