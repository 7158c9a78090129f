package io.mirrorhost.host;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.Cancellation;
import io.mirrorhost.api.Errno;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP API: {@code GET /api/v1/health}, and behind the API key {@code GET /api/v1/commands},
 * {@code POST /api/v1/command} and each module's routes under {@code /api/v1/MODULE/}.
 */
final class HttpApi {
    static final String API_KEY_HEADER = "X-API-Key";
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** A request carries at most {@link LargeJson#MAX_BINARY_BYTES} of input, base64-encoded. */
    static final long MAX_BODY_BYTES = LargeJson.MAX_BINARY_BYTES / 3 * 4 + 1024 * 1024;

    private final String siteName;
    private final ApiKeys keys;
    private final CommandCatalog catalog;
    private final CommandDispatcher dispatcher;
    private final ModuleManager modules;
    private final Optional<Path> fileDir;

    HttpApi(String siteName, ApiKeys keys, CommandCatalog catalog, CommandDispatcher dispatcher,
            ModuleManager modules, Optional<Path> fileDir) {
        this.fileDir = fileDir;
        this.siteName = siteName;
        this.keys = keys;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.modules = modules;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/api/v1/health").handler(rc -> json(rc, 200,
                new JsonObject().put("status", "ok").put("site_name", siteName)));
        router.head("/api/v1/health").handler(rc -> rc.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json").end());
        router.route("/api/v1/*").handler(this::authenticate);
        router.get("/api/v1/commands").handler(rc -> rc.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json").end(commands().encode()));
        router.post("/api/v1/command").handler(this::requireJson);
        router.post("/api/v1/command")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
                .handler(this::command);
        for (ModuleManager.Slot slot : modules.slots()) {
            router.route("/api/v1/" + slot.name() + "/*").handler(rc -> gate(rc, slot));
            router.route("/api/v1/" + slot.name() + "/*").subRouter(slot.router);
        }
        router.route().handler(rc -> json(rc, 404, CommandReply.error(Errno.ENOENT,
                "rbdm: no API route " + rc.request().method() + " " + rc.request().path()).toJson()));
        router.route().failureHandler(this::failed);
        return router;
    }

    /** A command's body is JSON: a form (what {@code curl -d} sends) is refused before it is parsed. */
    private void requireJson(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type == null || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            rc.next();
            return;
        }
        json(rc, 415, CommandReply.error(Errno.EINVAL, "rbdm: malformed request: the body must be a JSON object"
                + " sent as application/json, not " + type).toJson());
    }

    private void authenticate(RoutingContext rc) {
        if (keys.identify(rc.request().getHeader(API_KEY_HEADER)).isPresent()) {
            rc.next();
            return;
        }
        boolean missing = rc.request().getHeader(API_KEY_HEADER) == null;
        LOG.warn("refused {} {} from {}: {} API key", rc.request().method(), rc.request().path(),
                rc.request().remoteAddress(), missing ? "missing" : "wrong");
        json(rc, 401, CommandReply.error(Errno.EACCES, "rbdm: permission denied: missing or wrong API key").toJson());
    }

    /** Whatever failed in a route answers as a command reply too: never Vert.x's plain text or a stack trace. */
    private void failed(RoutingContext rc) {
        int status = rc.statusCode();
        if (status == 413) {
            json(rc, 413, CommandReply.error(Errno.EFBIG, "rbdm: request too large: a command takes at most "
                    + (LargeJson.MAX_BINARY_BYTES >> 20) + " MiB on standard input; give a file path instead").toJson());
        } else if (status >= 400 && status < 500) {
            json(rc, status, CommandReply.error(Errno.EINVAL,
                    "rbdm: malformed request: the body must be a JSON object").toJson());
        } else {
            LOG.error("{} {} failed", rc.request().method(), rc.request().path(), rc.failure());
            json(rc, 500, CommandReply.internal("host").toJson());
        }
    }

    private void command(RoutingContext rc) {
        String text = rc.body().asString();
        JsonObject body;
        try {
            body = text == null || text.isBlank() ? null : LargeJson.parseObject(text);
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            json(rc, 400, CommandReply.error(Errno.EINVAL,
                    "rbdm: malformed request: the body must be a JSON object").toJson());
            return;
        }
        Context httpContext = Vertx.currentContext();
        Cancellation cancellation = new Cancellation();
        rc.response().closeHandler(v -> cancellation.cancel());
        FileAccess files = new FileAccess(fileDir, isLoopback(rc.request().remoteAddress().hostAddress()));
        dispatcher.dispatch(body, cancellation, files).onComplete(ar -> httpContext.runOnContext(v -> {
            CommandReply reply = ar.succeeded() ? ar.result() : CommandReply.internal("mgr");
            if (ar.failed()) {
                LOG.error("command dispatch failed", ar.cause());
            }
            json(rc, reply.httpStatus(), reply.toJson());
        }));
    }

    /** Whether the caller's address (an IP literal, so no name is looked up) is this machine's loopback. */
    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Module routes answer 503 while the module is not running; otherwise they run on the module's context. */
    private void gate(RoutingContext rc, ModuleManager.Slot slot) {
        Context moduleContext = slot.context.verticleContext();
        if (slot.state != ModuleManager.State.RUNNING || moduleContext == null) {
            String why = slot.state == ModuleManager.State.FAILED ? "failed to start: " + slot.error
                    : "is not enabled: use `rbdm mgr module enable " + slot.name() + "` to enable it";
            json(rc, 503, CommandReply.unavailable("Module '" + slot.name() + "' " + why).toJson());
            return;
        }
        moduleContext.runOnContext(v -> rc.next());
    }

    private JsonArray commands() {
        JsonArray list = new JsonArray();
        for (CommandCatalog.Entry entry : catalog.commands()) {
            JsonArray args = new JsonArray();
            for (ArgSpec a : entry.spec().args()) {
                args.add(new JsonObject().put("name", a.name()).put("type", a.type().name())
                        .put("positional", a.positional()).put("required", a.required())
                        .put("repeated", a.repeated()).put("aliases", new JsonArray(a.aliases()))
                        .put("choices", new JsonArray(a.choices())).put("min", a.min()).put("max", a.max())
                        .put("default_value", a.defaultValue()).put("help", a.help()));
            }
            list.add(new JsonObject().put("prefix", entry.spec().prefix()).put("module", entry.module())
                    .put("help", entry.spec().help()).put("args", args));
        }
        return list;
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
