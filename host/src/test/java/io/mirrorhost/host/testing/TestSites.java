package io.mirrorhost.host.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Site confs on the memory backend and a small HTTP client for the host API, for tests. */
public final class TestSites {
    public static final String API_KEY = "test-key-0123456789";

    private TestSites() {
    }

    /** A conf for site {@code site} listening on {@code port} (0 = any), its config-keys kept in dir/state.properties. */
    public static Path writeConf(Path dir, String site, int port, String extraLines) throws IOException {
        Path conf = dir.resolve(site + ".conf");
        Files.writeString(conf, String.join("\n",
                "[global]",
                "site_name = " + site,
                "backend = memory   # test double",
                "[host]",
                "listen_address = 127.0.0.1",
                "listen_port = " + port,
                "api_key = " + API_KEY,
                "api_keys = ops:ops-key-42",
                "[memory]",
                "state_file = state.properties",
                extraLines, ""));
        return conf;
    }

    /** A reply of the API: status and JSON body. */
    public record Reply(int status, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public JsonArray jsonArray() {
            return new JsonArray(body);
        }

        public int code() {
            return json().getInteger("code");
        }

        public String stdout() {
            return json().getString("stdout");
        }

        public String stderr() {
            return json().getString("stderr");
        }
    }

    /** Calls a host's API over real HTTP. */
    public static final class Api {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;

        public Api(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        public Reply get(String path, String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
            return send(key == null ? request : request.header("X-API-Key", key));
        }

        public Reply post(String path, String body, String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            return send(key == null ? request : request.header("X-API-Key", key));
        }

        /** POST /api/v1/command with the test key. */
        public Reply command(String prefix, Map<String, ?> args, String format) {
            JsonObject body = new JsonObject().put("prefix", prefix).put("args", new JsonObject(Map.copyOf(args)))
                    .put("format", format);
            return post("/api/v1/command", body.encode(), API_KEY);
        }

        public Reply command(String prefix, Map<String, ?> args) {
            return command(prefix, args, "plain");
        }

        private Reply send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Reply(response.statusCode(), response.body());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
