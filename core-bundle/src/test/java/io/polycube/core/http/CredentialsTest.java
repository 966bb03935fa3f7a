// SPDX-License-Identifier: Apache-2.0
// This file contains the tests of HTTP Basic header parsing.
package io.polycube.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static String basic(String text) {
        return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesUserAndPasswordWithColons() {
        assertEquals(Optional.of(new Credentials("karaf", "a:b")), Credentials.parse(basic("karaf:a:b")));
        assertEquals(Optional.of(new Credentials("k", "")), Credentials.parse(basic("k:")));
        assertEquals(Optional.of(new Credentials("k", "p")), Credentials.parse("bAsIc " + basic("k:p").substring(6)));
        assertEquals(Optional.of(new Credentials("ü", "p")), Credentials.parse(basic("ü:p")));
    }

    @Test
    void refusesWhatIsNotBasicCredentials() {
        assertFalse(Credentials.parse(null).isPresent());
        assertFalse(Credentials.parse("").isPresent());
        assertFalse(Credentials.parse("Basic").isPresent());
        assertFalse(Credentials.parse("Bearer abc").isPresent());
        assertFalse(Credentials.parse("Basic !!!notbase64").isPresent());
        assertFalse(Credentials.parse(basic("nocolon")).isPresent());
        assertFalse(Credentials.parse(basic(":password")).isPresent());
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(new Credentials("u", "hunter2").toString().contains("hunter2"));
    }
}
