// SPDX-License-Identifier: Apache-2.0
// This file contains the parsing of an HTTP Basic Authorization header (RFC 7617).
package io.polycube.core.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** A user name and password from {@code Authorization: Basic base64(user:password)}. */
public record Credentials(String user, String password) {
    public Credentials {
        requireNonNull(user);
        requireNonNull(password);
    }

    /** Empty when the header is absent, not Basic, not base64 or has no user name. */
    public static Optional<Credentials> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + "]";
    }
}
