package io.mirrorhost.cli;

import io.mirrorhost.host.LargeJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sends one command to a host ({@code POST /api/v1/command}) and returns its JSON answer. */
final class HostClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterTarget target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    HostClient(ClusterTarget target) {
        this.target = target;
    }

    JsonObject send(JsonObject command) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + ":" + target.port()
                        + "/api/v1/command"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", target.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(command.encode()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(111, "rbdm: cannot reach the host of cluster '" + target.cluster() + "' at "
                    + target.where() + ": connection refused (is bin/mirrorhost running?)");
        } catch (HttpTimeoutException e) {
            throw new CliException(110, "rbdm: the host of cluster '" + target.cluster() + "' at " + target.where()
                    + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(5, "rbdm: lost the connection to the host of cluster '" + target.cluster()
                    + "' at " + target.where() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(4, "rbdm: interrupted");
        }
        try {
            JsonObject body = LargeJson.parseObject(response.body());
            if (body.getValue("code") instanceof Number) {
                return body;
            }
        } catch (DecodeException | ClassCastException e) {
            // reported below
        }
        throw new CliException(5, "rbdm: unexpected answer from the host at " + target.where() + " (HTTP "
                + response.statusCode() + ")");
    }

    private String host() {
        return target.address().contains(":") ? "[" + target.address() + "]" : target.address();
    }
}
