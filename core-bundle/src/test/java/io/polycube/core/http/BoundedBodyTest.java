// SPDX-License-Identifier: Apache-2.0
// This file contains the tests of the bounded body read and of the HTTP layer's RFC 8040 error bodies.
package io.polycube.core.http;

import io.polycube.http.errors.ErrorBodies;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {
    @Test
    void readsUpToTheLimit() throws IOException {
        byte[] data = new byte[20_000];
        data[19_999] = 7;
        assertArrayEquals(data, BoundedBody.read(new ByteArrayInputStream(data), 20_000));
        assertArrayEquals(new byte[0], BoundedBody.read(new ByteArrayInputStream(new byte[0]), 0));
    }

    @Test
    void oneByteMoreIsTooLargeAndTheRestIsNotRead() {
        assertThrows(BodyTooLargeException.class, () -> BoundedBody.read(new ByteArrayInputStream(new byte[20_001]),
            20_000));
        // an endless stream (a chunked body that never ends) stops at the bound
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        assertThrows(BodyTooLargeException.class, () -> BoundedBody.read(endless, 1024 * 1024));
    }

    @Test
    void errorBodiesAreRfc8040AndHideServerDetails() {
        JsonObject error = first(ErrorBodies.forStatus(505, "Unknown Version java.lang.Foo"));
        assertEquals("operation-not-supported", error.get("error-tag").getAsString());
        assertEquals("HTTP version not supported", error.get("error-message").getAsString());
        JsonObject notFound = first(ErrorBodies.forStatus(404, null));
        assertEquals("invalid-value", notFound.get("error-tag").getAsString());
        JsonObject bad = first(ErrorBodies.forStatus(400, "Illegal character CR\r\n<b>x</b>" + "y".repeat(500)));
        assertEquals("malformed-message", bad.get("error-tag").getAsString());
        String message = bad.get("error-message").getAsString();
        assertFalse(message.contains("\r") || message.contains("\n"));
        assertTrue(message.length() < 220);
        assertEquals("too-big", first(ErrorBodies.forStatus(431, "")).get("error-tag").getAsString());
        assertEquals("too-big", first(ErrorBodies.forStatus(413, null)).get("error-tag").getAsString());
        assertEquals("internal error", first(ErrorBodies.forStatus(500, "NullPointerException at x.y.Z"))
            .get("error-message").getAsString());
    }

    private static JsonObject first(String body) {
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("ietf-restconf:errors")
            .getAsJsonArray("error").get(0).getAsJsonObject();
    }
}
