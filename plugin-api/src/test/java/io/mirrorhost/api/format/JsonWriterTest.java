package io.mirrorhost.api.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private static String sample(boolean pretty) {
        JsonWriter f = new JsonWriter(pretty);
        f.openObject("image");
        f.string("name", "a\"b\\c\td\u0001");
        f.unsigned("size", 1073741824L);
        f.openArray("features").string("feature", "layering").string("feature", "exclusive-lock").close();
        f.openArray("op_features").close();
        f.openObject("mirroring").bool("primary", true).close();
        f.close();
        return f.finish();
    }

    @Test
    void compactHasNoSpacesAndEndsWithANewline() {
        assertEquals("{\"name\":\"a\\\"b\\\\c\\td\\u0001\",\"size\":1073741824,"
                + "\"features\":[\"layering\",\"exclusive-lock\"],\"op_features\":[],"
                + "\"mirroring\":{\"primary\":true}}\n", sample(false));
    }

    @Test
    void prettyIndentsByFourSpacesAsCeph() {
        assertEquals("{\n"
                + "    \"name\": \"a\\\"b\\\\c\\td\\u0001\",\n"
                + "    \"size\": 1073741824,\n"
                + "    \"features\": [\n"
                + "        \"layering\",\n"
                + "        \"exclusive-lock\"\n"
                + "    ],\n"
                + "    \"op_features\": [],\n"
                + "    \"mirroring\": {\n"
                + "        \"primary\": true\n"
                + "    }\n"
                + "}\n", sample(true));
    }

    @Test
    void emptyTopLevelArray() {
        assertEquals("[]\n", new JsonWriter(false).openArray("images").close().finish());
        assertEquals("[]\n", new JsonWriter(true).openArray("images").close().finish());
    }

    @Test
    void refusesUnbalancedSections() {
        JsonWriter f = new JsonWriter(false).openObject("x");
        assertThrows(IllegalStateException.class, f::finish);
        assertThrows(IllegalStateException.class, () -> new JsonWriter(false).close());
    }
}
