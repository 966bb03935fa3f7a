package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.LibC;
import java.util.Optional;
import java.util.OptionalInt;

/** Network interface name/index lookups in the caller's network namespace. */
public final class Netdevs {
    private static final int IF_NAMESIZE = 16;

    private Netdevs() {
    }

    public static OptionalInt ifindex(String name) {
        if (name.isEmpty() || name.length() >= IF_NAMESIZE) {
            return OptionalInt.empty();
        }
        int index = LibC.INSTANCE.if_nametoindex(name);
        return index == 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    public static Optional<String> name(int ifindex) {
        if (ifindex <= 0) {
            return Optional.empty();
        }
        byte[] buf = new byte[IF_NAMESIZE];
        if (LibC.INSTANCE.if_indextoname(ifindex, buf) == null) {
            return Optional.empty();
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return Optional.of(new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
