package io.mirrorhost.host;

import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** What {@code POST /api/v1/command} answers: the HTTP status and the body {@code {code, stdout, stderr, stdout_base64}}. */
record CommandReply(int httpStatus, int code, String stdout, String stderr, byte[] binaryStdout) {

    static CommandReply of(CommandResult result) {
        return new CommandReply(statusFor(result.code()), result.code(), result.stdout(), result.stderr(),
                result.binaryStdout());
    }

    static CommandReply error(Errno errno, String stderr) {
        return new CommandReply(statusFor(-errno.code()), -errno.code(), "", stderr, null);
    }

    /** A module that cannot serve now (disabled, failed, starting): 503 with EOPNOTSUPP. */
    static CommandReply unavailable(String stderr) {
        return new CommandReply(503, -Errno.EOPNOTSUPP.code(), "", stderr, null);
    }

    static CommandReply internal(String module) {
        return new CommandReply(500, -Errno.EIO.code(), "",
                "internal error in module " + module + ", see the host log", null);
    }

    /** 200 on success, 400 for bad input, 404 for missing things, 409 for conflicts, 400 for any other errno. */
    static int statusFor(int code) {
        if (code == 0) {
            return 200;
        }
        return switch (Errno.of(code)) {
            case ENOENT -> 404;
            case EEXIST, EBUSY, ENOTEMPTY -> 409;
            default -> 400;
        };
    }

    JsonObject toJson() {
        return new JsonObject().put("code", code).put("stdout", stdout).put("stderr", stderr)
                .put("stdout_base64", binaryStdout == null ? null : Base64.getEncoder().encodeToString(binaryStdout));
    }
}
