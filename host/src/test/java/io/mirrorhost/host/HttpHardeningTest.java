package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.host.testing.EchoModule;
import io.mirrorhost.host.testing.TestSites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the HTTP API does with clients that go away and with requests it cannot serve, over real sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpHardeningTest {
    @TempDir
    Path dir;
    private Host host;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        TestSites.writeConf(dir, "site-a", 0, "");
        host = HostTest.await(Host.start(vertx, SiteConf.load(dir.resolve("site-a.conf"))));
    }

    @AfterEach
    void stop() throws Exception {
        HostTest.await(host.close());
    }

    @Test
    void aClientThatDisconnectsCancelsItsCommand() throws Exception {
        EchoModule.waiting = new CountDownLatch(1);
        EchoModule.cancelled = new CountDownLatch(1);
        String body = new JsonObject().put("prefix", "echo until-cancelled").encode();
        try (Socket socket = new Socket("127.0.0.1", host.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/command HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-API-Key: " + TestSites.API_KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertTrue(EchoModule.waiting.await(30, TimeUnit.SECONDS), "the command started");
        }
        assertTrue(EchoModule.cancelled.await(30, TimeUnit.SECONDS), "the command saw its client gone");
    }
}
