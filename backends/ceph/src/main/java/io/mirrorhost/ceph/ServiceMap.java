package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.ServiceDaemon;
import io.mirrorhost.ceph.jna.LibRados;
import io.mirrorhost.ceph.jna.LibRbd;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manager's service map through librados (blocking): a client registers as a service daemon and
 * pushes its status ({@code rados_service_register}, {@code rados_service_update_status}; librados then
 * beacons for it), and readers list a service's daemons from the manager's {@code service dump} (metadata)
 * and {@code service status} (pushed status), as rbd's {@code MirrorDaemonServiceInfo} reads them.
 */
final class ServiceMap {
    private static final LibRados RADOS = LibRados.INSTANCE;
    private static final LibRbd RBD = LibRbd.INSTANCE;
    private static final int PAGE = 1024;

    private ServiceMap() {
    }

    static void register(Pointer cluster, String service, String daemon, Map<String, String> metadata) {
        CephErrors.check(RADOS.rados_service_register(cluster, service, daemon, dict(metadata)),
                "register as daemon " + daemon + " of service " + service);
    }

    static void updateStatus(Pointer cluster, Map<String, String> status) {
        CephErrors.check(RADOS.rados_service_update_status(cluster, dict(status)), "update the service daemon status");
    }

    static List<ServiceDaemon> list(Pointer cluster, String service) {
        return daemons(mgrJson(cluster, "service dump"), mgrJson(cluster, "service status"), service);
    }

    /** A service's daemons from the manager's {@code service dump} and {@code service status} answers. */
    static List<ServiceDaemon> daemons(JsonObject dump, JsonObject serviceStatus, String service) {
        JsonObject daemons = object(object(object(dump, "services"), service), "daemons");
        JsonObject statuses = object(serviceStatus, service);
        List<ServiceDaemon> list = new ArrayList<>();
        for (String name : new TreeMap<>(daemons.getMap()).keySet()) {
            // the daemons object also holds a "summary" string
            if (!(daemons.getValue(name) instanceof JsonObject daemon)) {
                continue;
            }
            list.add(new ServiceDaemon(name, strings(object(daemon, "metadata")),
                    strings(object(object(statuses, name), "status"))));
        }
        return list;
    }

    /** {@code rbd_mirror_image_instance_id_list}, every page. */
    static Map<String, String> instanceIds(Pointer io, String where) {
        Map<String, String> ids = new TreeMap<>();
        String startId = "";
        while (true) {
            Pointer[] imageIds = new Pointer[PAGE];
            Pointer[] instanceIds = new Pointer[PAGE];
            LongByReference count = new LongByReference();
            CephErrors.check(RBD.rbd_mirror_image_instance_id_list(io, startId, PAGE, imageIds, instanceIds, count),
                    "list the mirror daemon instances of " + where);
            int n = (int) count.getValue();
            for (int i = 0; i < n; i++) {
                startId = NativeText.string(imageIds[i]);
                ids.put(startId, NativeText.string(instanceIds[i]));
            }
            RBD.rbd_mirror_image_instance_id_list_cleanup(imageIds, instanceIds, n);
            if (n < PAGE) {
                return ids;
            }
        }
    }

    /** librados' dict encoding: key and value NUL-terminated in turn, then an empty key. */
    static byte[] dict(Map<String, String> values) {
        List<String> flat = new ArrayList<>();
        new TreeMap<>(values == null ? Map.<String, String>of() : values).forEach((k, v) -> {
            flat.add(k);
            flat.add(v == null ? "" : v);
        });
        flat.add("");
        return NativeText.joined(flat);
    }

    private static JsonObject mgrJson(Pointer cluster, String prefix) {
        String command = new JsonObject().put("prefix", prefix).put("format", "json").encode();
        PointerByReference out = new PointerByReference();
        LongByReference outLen = new LongByReference();
        PointerByReference status = new PointerByReference();
        LongByReference statusLen = new LongByReference();
        int rc = RADOS.rados_mgr_command(cluster, new String[] {command}, 1, null, 0, out, outLen, status, statusLen);
        String text = take(out.getValue(), outLen.getValue());
        String statusText = take(status.getValue(), statusLen.getValue());
        if (rc < 0) {
            Errno errno = Errno.of(rc);
            throw new ClusterException(errno, "cannot query the manager's " + prefix + ": " + errno.describe()
                    + (statusText.isBlank() ? "" : ": " + statusText.trim()));
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new ClusterException(Errno.EIO, "invalid " + prefix + " JSON received from the manager");
        }
    }

    private static String take(Pointer buffer, long length) {
        if (buffer == null) {
            return "";
        }
        String text = new String(buffer.getByteArray(0, (int) length), StandardCharsets.UTF_8);
        RADOS.rados_buffer_free(buffer);
        return text;
    }

    private static JsonObject object(JsonObject parent, String key) {
        return parent != null && parent.getValue(key) instanceof JsonObject child ? child : new JsonObject();
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> strings = new TreeMap<>();
        object.forEach(e -> strings.put(e.getKey(), String.valueOf(e.getValue())));
        return strings;
    }
}
