package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.TcxLink;
import java.util.List;
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
        return Optional.of(com.sun.jna.Native.toString(buf, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * The ids ({@link BpfProgram#id()}) of the programs on the device's TCX hook, in run order
     * ({@code BPF_PROG_QUERY}). What {@code tc filter show} and the installed bpftool 7.1 cannot
     * show: TCX attachments are no tc filters, and bpftool before 7.3 does not list them per device.
     */
    public static List<Integer> tcxProgramIds(int ifindex, TcDirection direction) throws BpfException {
        return TcxLink.programIds(ifindex, direction);
    }
}
