package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection to the {@link ClusterServer}: the handshake, then calls dispatched by
 * reflection onto the cluster and onto the images this connection opened. Images and watches
 * belong to the connection and are closed when it drops, as a librados client's are when it dies.
 */
final class ServerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private final Vertx vertx;
    private final NetSocket socket;
    private final Cluster base;
    private final Function<String, Cluster> clientView;
    private volatile Cluster cluster;
    private final AuthRegistry auth;
    private final String peer;
    private final byte[] nonce = Handshake.nonce();
    private final Map<Long, Image> images = new ConcurrentHashMap<>();
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private volatile ClientAuth client;
    private volatile boolean authenticating;
    private volatile boolean closed;
    private long authTimer;
    private long idleTimer = -1;
    private volatile long lastHeard = System.nanoTime();

    ServerConnection(Vertx vertx, NetSocket socket, Cluster base, Function<String, Cluster> clientView,
                     AuthRegistry auth) {
        this.vertx = vertx;
        this.socket = socket;
        this.base = base;
        this.clientView = clientView;
        this.auth = auth;
        this.peer = String.valueOf(socket.remoteAddress());
    }

    void start(long authTimeoutMillis, long idleLimitMillis, Runnable onClosed) {
        socket.handler(FrameCodec.parser(this::onFrame, this::protocolError));
        socket.closeHandler(v -> {
            releaseAll();
            onClosed.run();
        });
        authTimer = vertx.setTimer(authTimeoutMillis, id -> {
            if (client == null && !closed) {
                LOG.warn("cluster client {} did not authenticate within {} ms; closing", peer, authTimeoutMillis);
                socket.close();
            }
        });
        // A client that went silent (crashed host, half-open TCP) must not keep its images and locks.
        idleTimer = vertx.setPeriodic(Math.max(1, idleLimitMillis / 4), id -> {
            if (System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(idleLimitMillis)) {
                LOG.warn("cluster client {} ({}) silent for over {} ms; closing its connection", peer,
                        client == null ? "unauthenticated" : client.client(), idleLimitMillis);
                socket.close();
            }
        });
        ObjectNode hello = Wire.header(Wire.HELLO);
        hello.put("version", Wire.VERSION);
        hello.put("nonce", Base64.getEncoder().encodeToString(nonce));
        send(Frame.of(hello));
    }

    /** Closes the socket; handles are released by the close handler. */
    Future<Void> close() {
        return socket.close();
    }

    private void onFrame(Frame frame) {
        lastHeard = System.nanoTime();
        if (client != null && Wire.CALL.equals(frame.type())) {
            dispatch(frame);
        } else if (client != null && Wire.PING.equals(frame.type())) {
            send(Frame.of(Wire.header(Wire.PONG)));
        } else if (client == null && !authenticating && Wire.AUTH.equals(frame.type())) {
            authenticate(frame.header());
        } else {
            protocolError("unexpected '" + frame.type() + "' message");
        }
    }

    private void authenticate(ObjectNode header) {
        authenticating = true;
        String name = header.path("client").asText("");
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(header.path("proof").asText(""));
        } catch (IllegalArgumentException e) {
            proof = new byte[0];
        }
        byte[] claimed = proof;
        auth.get(name).onComplete(lookup -> {
            if (lookup.failed()) {
                LOG.error("cluster client {}: cannot read the auth entry of {}", peer, name, lookup.cause());
                refuse(name, "cannot read the auth database");
            } else if (lookup.result().isEmpty()) {
                LOG.warn("authentication failed from {}: unknown client '{}'", peer, name);
                refuse(name, "authentication failed");
            } else if (!Handshake.verify(lookup.result().get().key(), nonce, name, claimed)) {
                LOG.warn("authentication failed from {}: wrong key for {}", peer, name);
                refuse(name, "authentication failed");
            } else {
                accept(lookup.result().get());
            }
        });
    }

    private void accept(ClientAuth authenticated) {
        vertx.cancelTimer(authTimer);
        cluster = clientView.apply(authenticated.client());
        client = authenticated;
        ObjectNode ok = Wire.header(Wire.AUTH_OK);
        ok.put("client", authenticated.client());
        ok.put("fsid", base.fsid());
        authenticated.caps().forEach(c -> ok.withArray("caps").add(c.label()));
        send(Frame.of(ok));
        LOG.info("cluster client {} authenticated as {} (caps {})", peer, authenticated.client(), authenticated.caps());
    }

    private void refuse(String name, String reason) {
        ObjectNode failed = Wire.header(Wire.AUTH_FAILED);
        failed.put("message", reason + " for " + name);
        socket.write(FrameCodec.encode(Frame.of(failed))).onComplete(v -> socket.close());
    }

    private void protocolError(String problem) {
        LOG.warn("protocol error from cluster client {}: {}; closing the connection", peer, problem);
        socket.close();
    }

    private void dispatch(Frame frame) {
        ObjectNode header = frame.header();
        long id = frame.id();
        String target = header.path("target").asText("");
        String method = header.path("m").asText("");
        RemoteCall call = RemoteCall.find(target, method).orElse(null);
        Future<Frame> reply;
        if (call == null) {
            reply = Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP,
                    "the cluster server does not know the call " + target + "." + method));
        } else {
            reply = invoke(call, header, frame.blobs());
        }
        reply.recover(failure -> Future.succeededFuture(errorFrame(call, failure)))
                .onSuccess(response -> {
                    response.header().put("id", id);
                    send(response);
                });
    }

    private Future<Frame> invoke(RemoteCall call, ObjectNode header, List<Buffer> blobs) {
        try {
            CallPolicy.check(client.client(), client.caps(), call.name());
            Object target = target(call, header.path("h").asLong(), fence(header));
            Object[] args = decodeArgs(call, header.path("args"), blobs);
            Future<?> result = (Future<?>) call.method().invoke(target, args);
            return result.map(value -> resultFrame(call, header, value));
        } catch (InvocationTargetException e) {
            return Future.failedFuture(e.getCause());
        } catch (ClusterException e) {
            return Future.failedFuture(e);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ClusterException.invalid("malformed arguments for " + call.name() + ": "
                    + e.getMessage()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The token a call from a fenced view carries; images opened under it stay fenced on this side. */
    private static FenceToken fence(ObjectNode header) {
        JsonNode fence = header.path("fence");
        return fence.isObject() ? Wire.MAPPER.convertValue(fence, FenceToken.class) : null;
    }

    private Object target(RemoteCall call, long handle, FenceToken fence) {
        return switch (call.target()) {
            case Wire.TARGET_CLUSTER -> fence == null ? cluster : cluster.fenced(fence);
            case Wire.TARGET_IMAGE -> {
                Image image = images.get(handle);
                if (image == null) {
                    throw new ClusterException(Errno.ENOENT, "image handle " + handle + " is not open on this connection");
                }
                if (call.name().equals("Image.close")) {
                    images.remove(handle);
                }
                yield image;
            }
            default -> {
                Watch watch = watches.remove(handle);
                if (watch == null) {
                    throw new ClusterException(Errno.ENOENT, "watch " + handle + " is not registered on this connection");
                }
                yield watch;
            }
        };
    }

    private Object[] decodeArgs(RemoteCall call, JsonNode json, List<Buffer> blobs) {
        int count = call.params().size();
        if (!json.isArray() || json.size() != count) {
            throw new IllegalArgumentException("expected " + count + " arguments");
        }
        Object[] args = new Object[count];
        int blob = 0;
        for (int i = 0; i < count; i++) {
            JsonNode arg = json.get(i);
            args[i] = switch (call.params().get(i)) {
                case BUFFER -> {
                    if (blob >= blobs.size()) {
                        throw new IllegalArgumentException("missing data blob");
                    }
                    yield blobs.get(blob++);
                }
                case NOTIFY_CALLBACK -> notifyPusher(arg.asLong());
                case UPDATE_CALLBACK -> updatePusher(arg.asLong());
                case JSON -> Wire.MAPPER.convertValue(arg, call.paramType(i));
            };
        }
        return args;
    }

    private Consumer<Buffer> notifyPusher(long watchId) {
        return payload -> push(watchId, List.of(payload));
    }

    private Runnable updatePusher(long watchId) {
        return () -> push(watchId, List.of());
    }

    private void push(long watchId, List<Buffer> blobs) {
        if (closed) {
            return;
        }
        ObjectNode event = Wire.header(Wire.EVENT);
        event.put("watch", watchId);
        send(new Frame(event, blobs));
    }

    private Frame resultFrame(RemoteCall call, ObjectNode request, Object value) {
        ObjectNode response = Wire.header(Wire.RESULT);
        response.put("ok", true);
        List<Buffer> blobs = new ArrayList<>();
        switch (call.result()) {
            case VOID -> { }
            case BUFFER -> blobs.add((Buffer) value);
            case IMAGE -> response.set("result", registerImage((Image) value));
            case WATCH -> registerWatch(callbackId(call, request), (Watch) value);
            case JSON -> response.set("result", Wire.MAPPER.valueToTree(value));
        }
        return new Frame(response, blobs);
    }

    private ObjectNode registerImage(Image image) {
        long handle = nextHandle.getAndIncrement();
        images.put(handle, image);
        if (closed) {
            images.remove(handle);
            image.close();
        }
        ObjectNode opened = Wire.MAPPER.createObjectNode();
        opened.put("handle", handle);
        opened.set("spec", Wire.MAPPER.valueToTree(image.spec()));
        if (image.snapId() != null) {
            opened.put("snapId", image.snapId());
        }
        return opened;
    }

    private void registerWatch(long watchId, Watch watch) {
        watches.put(watchId, watch);
        if (closed) {
            watches.remove(watchId);
            watch.close();
        }
    }

    private static long callbackId(RemoteCall call, ObjectNode request) {
        JsonNode args = request.path("args");
        for (int i = 0; i < call.params().size(); i++) {
            RemoteCall.Param kind = call.params().get(i);
            if (kind == RemoteCall.Param.NOTIFY_CALLBACK || kind == RemoteCall.Param.UPDATE_CALLBACK) {
                return args.get(i).asLong();
            }
        }
        throw new IllegalStateException(call.name() + " returns a Watch but takes no callback");
    }

    private Frame errorFrame(RemoteCall call, Throwable failure) {
        ObjectNode response = Wire.header(Wire.RESULT);
        response.put("ok", false);
        if (failure instanceof ClusterException ce) {
            response.put("errno", ce.errno().name());
            response.put("message", String.valueOf(ce.getMessage()));
        } else {
            String name = call == null ? "a call" : call.name();
            LOG.error("internal error serving {} to {}", name, peer, failure);
            response.put("errno", Errno.EIO.name());
            response.put("message", "internal error in the cluster server while serving " + name
                    + ": " + failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        return Frame.of(response);
    }

    private void send(Frame frame) {
        List<Buffer> encoded;
        try {
            encoded = FrameCodec.encodeParts(frame);
        } catch (ClusterException e) {
            ObjectNode error = Wire.header(Wire.RESULT);
            error.put("id", frame.id());
            error.put("ok", false);
            error.put("errno", e.errno().name());
            error.put("message", e.getMessage());
            encoded = FrameCodec.encodeParts(Frame.of(error));
        }
        encoded.forEach(socket::write);
        if (socket.writeQueueFull()) {
            // Stop reading requests until the client has taken the replies already queued.
            socket.pause();
            socket.drainHandler(v -> socket.resume());
        }
    }

    private void releaseAll() {
        closed = true;
        vertx.cancelTimer(authTimer);
        vertx.cancelTimer(idleTimer);
        List<Image> openImages = new ArrayList<>(images.values());
        List<Watch> openWatches = new ArrayList<>(watches.values());
        images.clear();
        watches.clear();
        openWatches.forEach(Watch::close);
        openImages.forEach(Image::close);
        if (cluster != null) {
            // the client is gone: its service daemon leaves the map and its image statuses read as down
            cluster.serviceDaemonUnregister().onFailure(e -> LOG.debug("cluster client {}: {}", peer, e.getMessage()));
        }
        if (client != null) {
            LOG.info("cluster client {} ({}) disconnected; closed {} image(s) and {} watch(es)", peer, client.client(),
                    openImages.size(), openWatches.size());
        }
    }
}
