package io.mirrorhost.embedded.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void framesSurviveArbitraryChunkingWithTheirBlobs() {
        ObjectNode header = Wire.header(Wire.CALL);
        header.put("id", 7);
        Buffer first = Buffer.buffer(new byte[100_000]).setByte(99_999, (byte) 5);
        Buffer encoded = Buffer.buffer()
                .appendBuffer(FrameCodec.encode(new Frame(header, List.of(first, Buffer.buffer("second")))))
                .appendBuffer(FrameCodec.encode(Frame.of(Wire.header(Wire.PING))));

        List<Frame> frames = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Handler<Buffer> parser = FrameCodec.parser(frames::add, errors::add);
        for (int i = 0; i < encoded.length(); i += 997) {
            parser.handle(encoded.slice(i, Math.min(encoded.length(), i + 997)));
        }

        assertEquals(List.of(), errors);
        assertEquals(2, frames.size());
        assertEquals(7, frames.get(0).id());
        assertEquals(first, frames.get(0).blobs().get(0));
        assertEquals("second", frames.get(0).blobs().get(1).toString());
        assertEquals(Wire.PING, frames.get(1).type());
    }

    @Test
    void theWrittenPartsAreTheFrameAndParseByteByByteIntoGrowableBlobs() {
        ObjectNode header = Wire.header(Wire.RESULT);
        header.put("id", 9);
        Buffer data = Buffer.buffer(new byte[70_000]).setByte(0, (byte) 1).setByte(69_999, (byte) 2);
        Frame frame = new Frame(header, List.of(data, Buffer.buffer()));
        Buffer parts = Buffer.buffer();
        FrameCodec.encodeParts(frame).forEach(parts::appendBuffer);
        // [length of the rest][header length][header JSON][blobs]
        assertEquals(parts.length() - 4, parts.getInt(0));
        int headerLength = parts.getInt(4);
        assertEquals(9, new io.vertx.core.json.JsonObject(parts.getString(8, 8 + headerLength)).getInteger("id"));
        assertEquals(data, parts.getBuffer(8 + headerLength, parts.length()));

        List<Frame> frames = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Handler<Buffer> parser = FrameCodec.parser(frames::add, errors::add);
        for (int i = 0; i < parts.length(); i++) {
            parser.handle(parts.slice(i, i + 1));
        }
        parser.handle(parts);
        assertEquals(List.of(), errors);
        assertEquals(2, frames.size());
        for (Frame f : frames) {
            assertEquals(9, f.id());
            assertEquals(data, f.blobs().get(0));
            assertEquals(0, f.blobs().get(1).length());
        }
        Buffer received = frames.get(0).blobs().get(0);
        received.appendString("more");
        assertEquals(70_004, received.length(), "a received blob is the caller's to extend");
        assertEquals(data, frames.get(1).blobs().get(0), "and shares nothing with other frames");
    }

    @Test
    void blobsLongerThanTheFrameAreReported() {
        ObjectNode header = Wire.header(Wire.CALL);
        header.putArray("blobs").add(50);
        byte[] json = header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> errors = new ArrayList<>();
        FrameCodec.parser(f -> { }, errors::add)
                .handle(Buffer.buffer().appendInt(4 + json.length + 10).appendInt(json.length).appendBytes(json));
        assertEquals(List.of("blob lengths exceed the frame"), errors);
    }

    @Test
    void corruptLengthsAreReportedNotAllocated() {
        List<String> errors = new ArrayList<>();
        FrameCodec.parser(f -> { }, errors::add).handle(Buffer.buffer().appendInt(Integer.MAX_VALUE));
        assertEquals(List.of("invalid frame length " + Integer.MAX_VALUE), errors);

        errors.clear();
        FrameCodec.parser(f -> { }, errors::add).handle(Buffer.buffer().appendInt(8).appendInt(100).appendInt(0));
        assertEquals(List.of("bad header length 100"), errors);
    }

    @Test
    void oversizedMessagesFailWithEfbig() {
        Buffer huge = Buffer.buffer(new byte[FrameCodec.MAX_FRAME_BYTES]);
        ClusterException e = assertThrows(ClusterException.class,
                () -> FrameCodec.encode(new Frame(Wire.header(Wire.CALL), List.of(huge))));
        assertEquals(Errno.EFBIG, e.errno());
    }
}
