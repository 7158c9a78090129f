package io.mirrorhost.ceph;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monitor's auth commands ({@code ceph auth get-or-create|get|ls|rm}) through
 * {@link MonCommands} (blocking). A refusal keeps the monitor's own words ({@code key for client.x
 * exists but cap osd does not match}), so that callers print exactly what {@code ceph} prints.
 */
final class AuthCommands {
    private final MonCommands mon;

    AuthCommands(MonCommands mon) {
        this.mon = mon;
    }

    AuthEntity getOrCreate(String entity, Map<String, String> caps) {
        JsonArray words = new JsonArray();
        caps.forEach((service, cap) -> words.add(service).add(cap));
        JsonObject command = new JsonObject().put("prefix", "auth get-or-create").put("entity", entity)
                .put("format", "json");
        if (!words.isEmpty()) {
            command.put("caps", words);
        }
        return single(checked(mon.run(command), "auth get-or-create " + entity));
    }

    AuthEntity get(String entity) {
        return single(checked(mon.run(new JsonObject().put("prefix", "auth get").put("entity", entity)
                .put("format", "json")), "auth get " + entity));
    }

    List<AuthEntity> list() {
        JsonObject dump = new JsonObject(checked(mon.run(new JsonObject().put("prefix", "auth ls")
                .put("format", "json")), "auth ls").text());
        List<AuthEntity> entities = new ArrayList<>();
        dump.getJsonArray("auth_dump", new JsonArray()).forEach(e -> entities.add(entity((JsonObject) e)));
        return entities;
    }

    /** True if the entity existed: the monitor answers 0 either way, saying which in its status. */
    boolean remove(String entity) {
        MonCommands.Reply reply = checked(mon.run(new JsonObject().put("prefix", "auth rm").put("entity", entity)),
                "auth rm " + entity);
        return !reply.status().contains("does not exist");
    }

    private static MonCommands.Reply checked(MonCommands.Reply reply, String command) {
        if (reply.rc() < 0) {
            Errno errno = Errno.of(reply.rc());
            String status = reply.status().trim();
            throw new ClusterException(errno, status.isEmpty() ? CephErrors.failed(command, errno) : status);
        }
        return reply;
    }

    private static AuthEntity single(MonCommands.Reply reply) {
        JsonArray entities = new JsonArray(reply.text().trim());
        if (entities.size() != 1) {
            throw new ClusterException(Errno.EIO, "the monitor answered " + entities.size() + " auth entities for one");
        }
        return entity(entities.getJsonObject(0));
    }

    private static AuthEntity entity(JsonObject json) {
        JsonObject caps = json.getJsonObject("caps", new JsonObject());
        Map<String, String> byService = new java.util.TreeMap<>();
        caps.forEach(cap -> byService.put(cap.getKey(), String.valueOf(cap.getValue())));
        return AuthEntity.of(json.getString("entity"), json.getString("key", ""), byService);
    }
}
