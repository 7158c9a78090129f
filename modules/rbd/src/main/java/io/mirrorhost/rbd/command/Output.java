package io.mirrorhost.rbd.command;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.format.TreeWriter;

/** rbd's output conventions ({@code utils::get_formatter}) for commands that take {@code --format}. */
public final class Output {

    private Output() {
    }

    /** Refuses {@code --pretty-format} without a structured format, as rbd does. */
    public static void checkFormat(CommandRequest request) {
        if (request.prettyFormat() && request.format() == OutputFormat.PLAIN) {
            throw CommandException.invalid("rbd: --pretty-format only works when --format is json or xml");
        }
    }

    /** The JSON or XML writer the request asks for, or null for plain output. */
    public static TreeWriter writer(CommandRequest request) {
        return TreeWriter.of(request.format(), request.prettyFormat());
    }

    static CommandResult ok(String stdout, String stderr) {
        return new CommandResult(0, stdout, stderr);
    }
}
