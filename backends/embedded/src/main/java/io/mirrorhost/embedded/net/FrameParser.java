package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reassembles {@link FrameCodec} frames from socket chunks, copying each byte once: the header is
 * read first, then each blob straight into a buffer of its exact size. (Gathering a whole frame
 * first and cutting the blobs out of it copied a 4 MiB read reply three to four times, each copy a
 * humongous allocation for the garbage collector.) After an error it ignores all further input.
 */
final class FrameParser implements Handler<Buffer> {
    private enum State { FRAME_LENGTH, HEADER_LENGTH, HEADER, BLOB, SKIP }

    private final Consumer<Frame> onFrame;
    private final Consumer<String> onError;
    private State state = State.FRAME_LENGTH;
    private Buffer filling = Buffer.buffer(4);
    private int want = 4;
    private int frameLength;
    private ObjectNode header;
    private final List<Buffer> blobs = new ArrayList<>();
    private final List<Integer> blobLengths = new ArrayList<>();
    private long skip;
    private boolean failed;

    FrameParser(Consumer<Frame> onFrame, Consumer<String> onError) {
        this.onFrame = onFrame;
        this.onError = onError;
    }

    @Override
    public void handle(Buffer chunk) {
        int pos = 0;
        int length = chunk.length();
        while (!failed) {
            if (state == State.SKIP) {
                int n = (int) Math.min(skip, length - pos);
                pos += n;
                skip -= n;
                if (skip > 0) {
                    return;
                }
                emit();
                continue;
            }
            int n = Math.min(want - filling.length(), length - pos);
            if (n > 0) {
                filling.appendBuffer(chunk, pos, n);
                pos += n;
            }
            if (filling.length() < want) {
                return;
            }
            completed();
        }
    }

    /** {@code filling} holds the {@code want} bytes of the current state. */
    private void completed() {
        switch (state) {
            case FRAME_LENGTH -> {
                frameLength = filling.getInt(0);
                if (frameLength < 4 || frameLength > FrameCodec.MAX_FRAME_BYTES) {
                    fail("invalid frame length " + frameLength);
                    return;
                }
                expect(State.HEADER_LENGTH, 4);
            }
            case HEADER_LENGTH -> {
                int headerLength = filling.getInt(0);
                if (headerLength < 0 || headerLength > frameLength - 4) {
                    fail("bad header length " + headerLength);
                    return;
                }
                expect(State.HEADER, headerLength);
            }
            case HEADER -> readHeader();
            case BLOB -> {
                blobs.add(filling);
                nextBlob();
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void readHeader() {
        JsonNode node;
        try {
            node = Wire.MAPPER.readTree(filling.getBytes());
        } catch (IOException e) {
            fail("malformed header: " + e.getMessage());
            return;
        }
        if (!(node instanceof ObjectNode h)) {
            fail("header is not a JSON object");
            return;
        }
        header = h;
        long room = (long) frameLength - 4 - filling.length();
        long total = 0;
        for (JsonNode blobLength : h.path("blobs")) {
            int n = blobLength.asInt();
            total += n;
            if (n < 0 || total > room) {
                fail("blob lengths exceed the frame");
                return;
            }
            blobLengths.add(n);
        }
        skip = room - total;
        nextBlob();
    }

    private void nextBlob() {
        if (blobs.size() < blobLengths.size()) {
            expect(State.BLOB, blobLengths.get(blobs.size()));
        } else {
            state = State.SKIP;
        }
    }

    private void expect(State next, int bytes) {
        state = next;
        want = bytes;
        filling = Buffer.buffer(bytes);
    }

    private void emit() {
        Frame frame = new Frame(header, blobs);
        header = null;
        blobs.clear();
        blobLengths.clear();
        expect(State.FRAME_LENGTH, 4);
        onFrame.accept(frame);
    }

    private void fail(String problem) {
        failed = true;
        onError.accept(problem);
    }
}
