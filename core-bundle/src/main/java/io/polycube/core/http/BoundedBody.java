// SPDX-License-Identifier: Apache-2.0
// This file contains the bounded read of a request body into memory.
package io.polycube.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a whole body, counting as it goes: chunked bodies declare no length, so the count is the bound. */
public final class BoundedBody {
    private static final int CHUNK = 8192;

    private BoundedBody() {
    }

    /** At most {@code limit} bytes are held; one more byte read means {@link BodyTooLargeException}. */
    public static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, CHUNK));
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                throw new BodyTooLargeException(limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
