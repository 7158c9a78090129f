package io.mirrorhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorhost.api.Errno;
import io.mirrorhost.host.testing.EchoModule;
import io.mirrorhost.host.testing.TestSites;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
                .header("X-API-Key", TestSites.API_KEY);
    }

    /** Every error of the API is a command reply: code (a negative errno), stdout, stderr. */
    private static void assertJsonError(HttpResponse<String> response, int status, Errno errno, String stderr) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        JsonObject body = new JsonObject(response.body());
        assertEquals(-errno.code(), body.getInteger("code"), response.body());
        assertEquals("", body.getString("stdout"), response.body());
        assertEquals(stderr, body.getString("stderr"), response.body());
    }

    @Test
    void anEmptyBodyIsA400() throws Exception {
        assertJsonError(send(request("/api/v1/command").POST(HttpRequest.BodyPublishers.noBody())), 400,
                Errno.EINVAL, "rbdm: malformed request: the body must be a JSON object");
        assertJsonError(send(request("/api/v1/command").POST(HttpRequest.BodyPublishers.ofString("  "))), 400,
                Errno.EINVAL, "rbdm: malformed request: the body must be a JSON object");
    }

    @Test
    void filesNamedOverTheApiAreConfinedToTheFileDir(Vertx vertx) throws Exception {
        HostTest.await(host.close());
        Path files = dir.resolve("files");
        java.nio.file.Files.createDirectories(files);
        Path conf = TestSites.writeConf(dir, "site-a", 0, "");
        java.nio.file.Files.writeString(conf, java.nio.file.Files.readString(conf)
                .replaceFirst("\\[host\\]\n", "[host]\nfile_dir = files\n"));
        host = HostTest.await(Host.start(vertx, SiteConf.load(conf)));
        TestSites.Api api = new TestSites.Api(host.port());
        TestSites.Reply refused = api.command("echo import", java.util.Map.of("path", "/etc/shadow"));
        assertEquals(-13, refused.code(), refused.body());
        assertEquals("rbdm: permission denied: argument 'path' names /etc/shadow, outside the host's file directory "
                + files + " ([host] file_dir)", refused.json().getString("stderr"));
        TestSites.Reply escaped = api.command("echo import", java.util.Map.of("path", files + "/../site-a.conf"));
        assertEquals(-13, escaped.code(), escaped.body());
        TestSites.Reply allowed = api.command("echo import", java.util.Map.of("path", files + "/image.raw"));
        assertEquals(0, allowed.code(), allowed.body());
        assertEquals("path=" + files + "/image.raw bytes=-1\n", allowed.stdout());
    }

    @Test
    void aPostWithoutABodyIsA400() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", host.port())) {
            socket.getOutputStream().write(("POST /api/v1/command HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
                    + TestSites.API_KEY + "\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
            assertTrue(reply.endsWith("{\"code\":-22,\"stdout\":\"\",\"stderr\":\"rbdm: malformed request: the body"
                    + " must be a JSON object\",\"stdout_base64\":null}"), reply);
        }
    }

    @Test
    void aFormBodyIsRefusedUnparsed() throws Exception {
        byte[] large = new byte[50 << 20];
        java.util.Arrays.fill(large, (byte) 'a');
        for (byte[] body : new byte[][] {new byte[0], large}) {
            assertJsonError(send(request("/api/v1/command").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))), 415, Errno.EINVAL,
                    "rbdm: malformed request: the body must be a JSON object sent as application/json, not "
                            + "application/x-www-form-urlencoded");
        }
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        byte[] huge = new byte[(int) HttpApi.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertJsonError(send(request("/api/v1/command").POST(HttpRequest.BodyPublishers.ofByteArray(huge))), 413,
                Errno.EFBIG, "rbdm: request too large: a command takes at most 256 MiB on standard input;"
                        + " give a file path instead");
    }

    @Test
    void unknownPathsAndMethodsAre404s() throws Exception {
        assertJsonError(send(request("/nosuch").GET()), 404, Errno.ENOENT, "rbdm: no API route GET /nosuch");
        assertJsonError(send(request("/").GET()), 404, Errno.ENOENT, "rbdm: no API route GET /");
        assertJsonError(send(request("/api/v1/nosuch").GET()), 404, Errno.ENOENT,
                "rbdm: no API route GET /api/v1/nosuch");
        assertJsonError(send(request("/api/v1/command").GET()), 404, Errno.ENOENT,
                "rbdm: no API route GET /api/v1/command");
    }

    @Test
    void healthAnswersHeadWithoutAKey() throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port()
                + "/api/v1/health")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
    }

    @Test
    void aWrongTypedArgumentNamesTheTypeItGot() throws Exception {
        String body = "{\"prefix\":\"echo\",\"args\":{\"text\":{\"a\":1}}}";
        assertJsonError(send(request("/api/v1/command").POST(HttpRequest.BodyPublishers.ofString(body))), 400,
                Errno.EINVAL, "rbdm: argument 'text' must be a single value, got an object");
        String inList = "{\"prefix\":\"echo\",\"args\":{\"text\":\"x\",\"tag\":[{\"a\":1}]}}";
        assertJsonError(send(request("/api/v1/command").POST(HttpRequest.BodyPublishers.ofString(inList))), 400,
                Errno.EINVAL, "rbdm: argument 'tag' must be a single value, got an object");
    }
}
