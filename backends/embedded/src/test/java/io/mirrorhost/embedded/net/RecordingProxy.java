package io.mirrorhost.embedded.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;

/** A TCP relay that records every byte both ways, to check what crosses the wire. */
final class RecordingProxy {
    private final NetServer server;
    private final NetClient client;
    private final Buffer recorded = Buffer.buffer();
    private volatile boolean blackholed;

    private RecordingProxy(NetServer server, NetClient client) {
        this.server = server;
        this.client = client;
    }

    static Future<RecordingProxy> start(Vertx vertx, int targetPort) {
        NetClient client = vertx.createNetClient();
        NetServer server = vertx.createNetServer();
        RecordingProxy[] self = new RecordingProxy[1];
        server.connectHandler(inbound -> {
            inbound.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
                inbound.handler(data -> {
                    if (!self[0].blackholed) {
                        self[0].record(data);
                        outbound.write(data);
                    }
                });
                outbound.handler(data -> {
                    if (!self[0].blackholed) {
                        self[0].record(data);
                        inbound.write(data);
                    }
                });
                inbound.closeHandler(v -> outbound.close());
                outbound.closeHandler(v -> inbound.close());
                inbound.resume();
            }).onFailure(e -> inbound.close());
        });
        return server.listen(0, "127.0.0.1").map(s -> self[0] = new RecordingProxy(s, client));
    }

    /** Drops everything both ways without closing anything: a half-open connection. */
    void blackhole(boolean on) {
        blackholed = on;
    }

    int port() {
        return server.actualPort();
    }

    synchronized byte[] recorded() {
        return recorded.getBytes();
    }

    private synchronized void record(Buffer data) {
        recorded.appendBuffer(data);
    }
}
