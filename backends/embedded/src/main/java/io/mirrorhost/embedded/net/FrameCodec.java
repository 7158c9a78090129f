package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Length-prefixed framing: {@code [int32 n][int32 headerLength][header JSON][blob bytes...]} where
 * {@code n} counts everything after itself. Blobs are appended raw so that 4 MiB writes are not
 * base64-encoded.
 */
final class FrameCodec {
    /** Large enough for any sane I/O request; guards the receiver against a corrupt length. */
    static final int MAX_FRAME_BYTES = 128 * 1024 * 1024;

    private FrameCodec() {
    }

    /** The frame in one buffer (tests, small messages); {@link #encodeParts} avoids copying the blobs. */
    static Buffer encode(Frame frame) {
        List<Buffer> parts = encodeParts(frame);
        Buffer out = Buffer.buffer(parts.stream().mapToInt(Buffer::length).sum());
        parts.forEach(out::appendBuffer);
        return out;
    }

    static Frame decode(Buffer body) {
        int headerLength = body.getInt(0);
        if (headerLength < 0 || headerLength > body.length() - 4) {
            throw new IllegalArgumentException("bad header length " + headerLength);
        }
        JsonNode node;
        try {
            node = Wire.MAPPER.readTree(body.getBytes(4, 4 + headerLength));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed header: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode header)) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        List<Buffer> blobs = new ArrayList<>();
        int position = 4 + headerLength;
        for (JsonNode length : header.path("blobs")) {
            int end = position + length.asInt();
            if (length.asInt() < 0 || end > body.length()) {
                throw new IllegalArgumentException("blob lengths exceed the frame");
            }
            // A copy, not a slice: a slice cannot grow, and callers may append to what they receive.
            blobs.add(body.getBuffer(position, end));
            position = end;
        }
        return new Frame(header, blobs);
    }

    /**
     * A socket handler that reassembles frames; a malformed or oversized frame goes to
     * {@code onError} (the caller closes the connection: the stream cannot be resynchronised).
     */
    static Handler<Buffer> parser(Consumer<Frame> onFrame, Consumer<String> onError) {
        return new FrameParser(onFrame, onError);
    }

    /**
     * The frame as buffers to write in turn: lengths and header, then each blob as it is (not
     * copied into one buffer with the header).
     */
    static List<Buffer> encodeParts(Frame frame) {
        ObjectNode header = frame.header();
        if (!frame.blobs().isEmpty()) {
            ArrayNode lengths = header.putArray("blobs");
            frame.blobs().forEach(b -> lengths.add(b.length()));
        }
        byte[] json;
        try {
            json = Wire.MAPPER.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new ClusterException(Errno.EINVAL, "cannot encode a cluster message: " + e.getMessage(), e);
        }
        long total = 4L + json.length;
        for (Buffer blob : frame.blobs()) {
            total += blob.length();
        }
        if (total > MAX_FRAME_BYTES) {
            throw new ClusterException(Errno.EFBIG,
                    "cluster message of " + total + " bytes exceeds the limit of " + MAX_FRAME_BYTES + " bytes");
        }
        List<Buffer> parts = new ArrayList<>(1 + frame.blobs().size());
        parts.add(Buffer.buffer(8 + json.length).appendInt((int) total).appendInt(json.length).appendBytes(json));
        parts.addAll(frame.blobs());
        return parts;
    }
}
