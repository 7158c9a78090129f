package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The named clients allowed to reach a cluster over the network, kept in the cluster's own
 * config-key store under {@code auth/<client>} as {@code {"key": ..., "caps": [...], "ceph_caps": {...}}}
 * (Ceph keeps its auth database in the monitors the same way): the capabilities the server enforces,
 * and the caps in Ceph's spelling as {@code ceph auth get-or-create} was given them (clients made
 * before, or by {@link #create}, show the caps Ceph would give their capability). The server reads it
 * on every handshake, so a client created here can connect at once.
 */
public final class AuthRegistry {
    public static final String PREFIX = "auth/";
    public static final String ADMIN_CLIENT = "client.admin";
    public static final String MIRROR_PEER_CLIENT = "client.rbd-mirror-peer";

    private static final Pattern CLIENT_NAME = Pattern.compile("client\\.[A-Za-z0-9_.-]+");
    /** What Ceph's {@code EntityName::from_str} accepts: a known type, a dot, any id. */
    private static final Pattern CEPH_ENTITY = Pattern.compile("(auth|mon|osd|mds|mgr|client)\\..*", Pattern.DOTALL);
    private static final String CEPH_CAPS = "ceph_caps";
    /** The last read-then-write of each cluster's auth database, by fsid (see {@link #serialized}). */
    private static final Map<String, Future<?>> TAILS = new ConcurrentHashMap<>();

    /** A stored client and its caps in Ceph's spelling. */
    private record Entry(ClientAuth auth, SortedMap<String, String> cephCaps) {
        AuthEntity entity() {
            return new AuthEntity(auth.client(), auth.key(), cephCaps);
        }
    }

    private final Cluster cluster;

    public AuthRegistry(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Creates a client with a new random key; EEXIST if it exists. */
    public Future<ClientAuth> create(String client, Set<Capability> caps) {
        return validated(client, caps).compose(v -> serialized(() -> get(client).compose(existing -> {
            if (existing.isPresent()) {
                return Future.failedFuture(ClusterException.exists("client " + client + " already exists"));
            }
            return store(new ClientAuth(client, Handshake.newKey(), caps));
        })));
    }

    /**
     * Returns the client if it exists with exactly these caps, else creates it ({@code ceph auth
     * get-or-create}); EINVAL if it exists with other caps.
     */
    public Future<ClientAuth> getOrCreate(String client, Set<Capability> caps) {
        return validated(client, caps).compose(v -> serialized(() -> get(client).compose(existing -> {
            if (existing.isEmpty()) {
                return store(new ClientAuth(client, Handshake.newKey(), caps));
            }
            if (!existing.get().caps().equals(Set.copyOf(caps))) {
                return Future.failedFuture(ClusterException.invalid("key for " + client
                        + " exists but its caps " + existing.get().caps() + " do not match " + caps));
            }
            return Future.succeededFuture(existing.get());
        })));
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
        return entry(client).map(entry -> entry.map(Entry::auth));
    }

    private Future<Optional<Entry>> entry(String client) {
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
        return entries().map(entries -> entries.stream().map(Entry::auth).toList());
    }

    private Future<List<Entry>> entries() {
        return cluster.configKeyList(PREFIX).map(stored -> {
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, String> e : stored.entrySet()) {
                String name = e.getKey().startsWith(PREFIX) ? e.getKey().substring(PREFIX.length()) : e.getKey();
                entries.add(parse(name, e.getValue()));
            }
            entries.sort(Comparator.comparing(entry -> entry.auth().client()));
            return entries;
        });
    }

    // --- the auth database as Ceph's monitor commands see it (ceph auth get-or-create/get/ls/rm) ---

    /**
     * {@code ceph auth get-or-create}: an existing entity is returned if every cap given matches its
     * own exactly ({@code key for client.x exists but cap osd does not match} otherwise; caps not
     * given are not compared); a new one gets a random key and the capability its caps map to
     * ({@link CephCaps#capabilityOf}), the caps kept as given.
     */
    public Future<AuthEntity> getOrCreateEntity(String entity, Map<String, String> caps) {
        try {
            checkEntity(entity, "bad entity name");
            requireClientName(entity);
            CephCaps.checkServices(caps);
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        return serialized(() -> entry(entity).compose(existing -> {
            if (existing.isPresent()) {
                for (Map.Entry<String, String> cap : new TreeMap<>(caps).entrySet()) {
                    if (!cap.getValue().equals(existing.get().cephCaps().get(cap.getKey()))) {
                        return Future.failedFuture(ClusterException.invalid("key for " + entity
                                + " exists but cap " + cap.getKey() + " does not match"));
                    }
                }
                return Future.succeededFuture(existing.get().entity());
            }
            Capability capability;
            try {
                capability = CephCaps.capabilityOf(entity, caps);
            } catch (ClusterException e) {
                return Future.failedFuture(e);
            }
            ClientAuth auth = new ClientAuth(entity, Handshake.newKey(), Set.of(capability));
            return store(new Entry(auth, new TreeMap<>(caps))).map(Entry::entity);
        }));
    }

    /** {@code ceph auth get}: ENOENT {@code failed to find client.x in keyring}. */
    public Future<AuthEntity> getEntity(String entity) {
        try {
            checkEntity(entity, "invalid entity_auth " + entity);
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        Future<Optional<Entry>> found = CLIENT_NAME.matcher(entity).matches() ? entry(entity)
                : Future.succeededFuture(Optional.empty());
        return found.compose(entry -> entry.isPresent() ? Future.succeededFuture(entry.get().entity())
                : Future.failedFuture(ClusterException.notFound("failed to find " + entity + " in keyring")));
    }

    /** {@code ceph auth ls}: every entity, sorted by name. */
    public Future<List<AuthEntity>> listEntities() {
        return entries().map(entries -> entries.stream().map(Entry::entity).toList());
    }

    /**
     * {@code ceph auth rm}: true if the entity existed. {@code client.admin} stays: the site's hosts
     * and cluster server authenticate with it, and its key comes from the site conf. Neither may
     * {@code caller} remove itself, which would lock its own connection out.
     */
    public Future<Boolean> removeEntity(String entity, String caller) {
        try {
            checkEntity(entity, "bad entity name");
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        }
        if (entity.equals(ADMIN_CLIENT)) {
            return Future.failedFuture(new ClusterException(Errno.EBUSY, "refusing to remove " + ADMIN_CLIENT
                    + ": this site's hosts authenticate with it (its key is the [embedded] key of the site conf)"));
        }
        if (entity.equals(caller)) {
            return Future.failedFuture(new ClusterException(Errno.EBUSY, "refusing to remove " + entity
                    + ": this client is connected as it"));
        }
        if (!CLIENT_NAME.matcher(entity).matches()) {
            return Future.succeededFuture(false);
        }
        return serialized(() -> entry(entity).compose(existing -> existing.isEmpty() ? Future.succeededFuture(false)
                : remove(entity).map(v -> true)));
    }

    /**
     * Runs a read-then-write of the database after the ones before it on the same cluster, as the
     * monitor serialises its auth commands: two get-or-creates of one new client must not both
     * create it (each would hand out a key, and only the last would stay valid). Only one process
     * opens a store, so serialising within the process is enough.
     */
    private <T> Future<T> serialized(Supplier<Future<T>> work) {
        Promise<T> done = Promise.promise();
        String fsid = cluster.fsid();
        Future<?> before = TAILS.put(fsid, done.future());
        Future<?> after = before == null ? Future.succeededFuture() : before;
        after.onComplete(ignored -> {
            Future<T> result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            result.onComplete(done);
        });
        return done.future().onComplete(ignored -> TAILS.remove(fsid, done.future()));
    }

    private static void checkEntity(String entity, String message) {
        if (entity == null || !CEPH_ENTITY.matcher(entity).matches()) {
            throw ClusterException.invalid(message);
        }
    }

    private static void requireClientName(String entity) {
        if (!CLIENT_NAME.matcher(entity).matches()) {
            throw ClusterException.invalid("invalid client name '" + entity
                    + "': the embedded cluster has only clients, named client.<name> with letters, digits, '.', '_' or '-'");
        }
    }

    private Future<ClientAuth> store(ClientAuth auth) {
        return store(new Entry(auth, CephCaps.of(auth.caps()))).map(Entry::auth);
    }

    private Future<Entry> store(Entry entry) {
        ObjectNode json = Wire.MAPPER.createObjectNode();
        json.put("key", entry.auth().key());
        entry.auth().caps().stream().map(Capability::label).sorted().forEach(json.putArray("caps")::add);
        ObjectNode cephCaps = json.putObject(CEPH_CAPS);
        entry.cephCaps().forEach(cephCaps::put);
        return cluster.configKeySet(PREFIX + entry.auth().client(), json.toString()).map(v -> entry);
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

    private static Entry parse(String client, String text) {
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
            SortedMap<String, String> cephCaps = new TreeMap<>();
            node.path(CEPH_CAPS).fields().forEachRemaining(cap -> cephCaps.put(cap.getKey(), cap.getValue().asText()));
            return new Entry(new ClientAuth(client, key, caps), node.has(CEPH_CAPS) ? cephCaps : CephCaps.of(caps));
        } catch (IOException | ClusterException e) {
            throw new ClusterException(Errno.EIO, "corrupt auth entry " + PREFIX + client + ": " + e.getMessage(), e);
        }
    }
}
