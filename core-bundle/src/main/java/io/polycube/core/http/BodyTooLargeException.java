// SPDX-License-Identifier: Apache-2.0
// This file contains the error of a request body over the configured bound.
package io.polycube.core.http;

import java.io.IOException;

/** The body exceeded {@code maxBodyBytes}: nothing beyond the bound was kept. */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
