// SPDX-License-Identifier: Apache-2.0
// This file contains what an authenticated user may do over HTTP.
package io.polycube.core.http;

import java.util.Set;

/** An authenticated user's rights: everything, reading only, or nothing. */
public enum Access {
    ADMIN, READ_ONLY, NONE;

    /** Exact, upper-case names: anything else (PUT, POST, PATCH, DELETE, "get", FOO) is a change or unknown. */
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    public boolean permits(String method) {
        return this == ADMIN || this == READ_ONLY && READ_METHODS.contains(method);
    }
}
