package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named clients allowed to reach a cluster over the network, kept in the cluster's own
 * config-key store under {@code auth/<client>} as {@code {"key": ..., "caps": [...]}} (Ceph keeps
 * its auth database in the monitors the same way). The server reads it on every handshake, so a
 * client created here can connect at once.
 */
public final class AuthRegistry {
    public static final String PREFIX = "auth/";
    public static final String ADMIN_CLIENT = "client.admin";
    public static final String MIRROR_PEER_CLIENT = "client.rbd-mirror-peer";

    private static final Pattern CLIENT_NAME = Pattern.compile("client\\.[A-Za-z0-9_.-]+");

    private final Cluster cluster;

    public AuthRegistry(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Creates a client with a new random key; EEXIST if it exists. */
    public Future<ClientAuth> create(String client, Set<Capability> caps) {
        return validated(client, caps).compose(v -> get(client)).compose(existing -> {
            if (existing.isPresent()) {
                return Future.failedFuture(ClusterException.exists("client " + client + " already exists"));
            }
            return store(new ClientAuth(client, Handshake.newKey(), caps));
        });
    }

    /**
     * Returns the client if it exists with exactly these caps, else creates it ({@code ceph auth
     * get-or-create}); EINVAL if it exists with other caps.
     */
    public Future<ClientAuth> getOrCreate(String client, Set<Capability> caps) {
        return validated(client, caps).compose(v -> get(client)).compose(existing -> {
            if (existing.isEmpty()) {
                return store(new ClientAuth(client, Handshake.newKey(), caps));
            }
            if (!existing.get().caps().equals(Set.copyOf(caps))) {
                return Future.failedFuture(ClusterException.invalid("key for " + client
                        + " exists but its caps " + existing.get().caps() + " do not match " + caps));
            }
            return Future.succeededFuture(existing.get());
        });
    }

    /** Sets a client's key and caps, replacing what was there (the admin key from the site conf). */
    public Future<ClientAuth> ensure(String client, String key, Set<Capability> caps) {
        if (key == null || key.isBlank() || !key.strip().equals(key)) {
            return Future.failedFuture(ClusterException.invalid("the key of " + client
                    + " must be a non-empty string without surrounding spaces"));
        }
        return validated(client, caps).compose(v -> store(new ClientAuth(client, key, caps)));
    }

    public Future<Optional<ClientAuth>> get(String client) {
        return cluster.configKeyGet(PREFIX + client).map(json -> json.map(text -> parse(client, text)));
    }

    /** Removes a client; succeeds if it did not exist, as {@code ceph auth rm} does. */
    public Future<Void> remove(String client) {
        return cluster.configKeyRemove(PREFIX + client).recover(failure ->
                ClusterException.errnoOf(failure) == Errno.ENOENT ? Future.succeededFuture()
                        : Future.failedFuture(failure));
    }

    /** Every client, sorted by name. */
    public Future<List<ClientAuth>> list() {
        return cluster.configKeyList(PREFIX).map(entries -> {
            List<ClientAuth> clients = new ArrayList<>();
            for (Map.Entry<String, String> e : entries.entrySet()) {
                String name = e.getKey().startsWith(PREFIX) ? e.getKey().substring(PREFIX.length()) : e.getKey();
                clients.add(parse(name, e.getValue()));
            }
            clients.sort(Comparator.comparing(ClientAuth::client));
            return clients;
        });
    }

    private Future<ClientAuth> store(ClientAuth auth) {
        ObjectNode json = Wire.MAPPER.createObjectNode();
        json.put("key", auth.key());
        auth.caps().stream().map(Capability::label).sorted().forEach(json.putArray("caps")::add);
        return cluster.configKeySet(PREFIX + auth.client(), json.toString()).map(v -> auth);
    }

    private static Future<Void> validated(String client, Set<Capability> caps) {
        if (client == null || !CLIENT_NAME.matcher(client).matches()) {
            return Future.failedFuture(ClusterException.invalid("invalid client name '" + client
                    + "': expected client.<name> with letters, digits, '.', '_' or '-'"));
        }
        if (caps == null || caps.isEmpty()) {
            return Future.failedFuture(ClusterException.invalid("client " + client + " needs at least one capability"));
        }
        return Future.succeededFuture();
    }

    private static ClientAuth parse(String client, String text) {
        try {
            JsonNode node = Wire.MAPPER.readTree(text);
            Set<Capability> caps = EnumSet.noneOf(Capability.class);
            for (JsonNode cap : node.path("caps")) {
                caps.add(Capability.parse(cap.asText()));
            }
            String key = node.path("key").asText("");
            if (key.isEmpty()) {
                throw new IOException("no key");
            }
            return new ClientAuth(client, key, caps);
        } catch (IOException | ClusterException e) {
            throw new ClusterException(Errno.EIO, "corrupt auth entry " + PREFIX + client + ": " + e.getMessage(), e);
        }
    }
}
