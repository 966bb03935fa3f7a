package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.Lifecycle;
import java.nio.file.Path;

/**
 * A prog array opened from its bpffs pin, outside any loaded object: the handle a process keeps on a
 * tail-call table that earlier processes filled (the kernel empties a prog array only when its last fd
 * and pin go, so holding this keeps its entries). Closing closes this handle's fd; the pin stays.
 */
public final class PinnedProgArray implements AutoCloseable {
    /** {@code struct bpf_map_info} up to and including {@code name[16]}. */
    private static final int MAP_INFO_BYTES = 40;

    private final Lifecycle lifecycle;
    private final BpfProgArray map;
    private final int fd;

    private PinnedProgArray(Lifecycle lifecycle, BpfProgArray map, int fd) {
        this.lifecycle = lifecycle;
        this.map = map;
        this.fd = fd;
    }

    /**
     * Opens the prog array pinned at {@code pin}.
     *
     * @throws BpfException if nothing is pinned there, or what is pinned is not a prog array
     */
    public static PinnedProgArray open(Path pin) throws BpfException {
        String subject = pin.toString();
        int fd = Errors.checkErrno(LibBpf.INSTANCE.bpf_obj_get(subject), "bpf_obj_get", subject);
        try (Memory info = new Memory(MAP_INFO_BYTES); Memory len = new Memory(4)) {
            info.clear();
            len.setInt(0, MAP_INFO_BYTES);
            Errors.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(fd, info, len), "bpf_obj_get_info_by_fd", subject);
            MapType type = MapType.of(info.getInt(0));
            if (type != MapType.PROG_ARRAY) {
                throw new BpfException(subject + " is a " + type + ", not a PROG_ARRAY", 22);
            }
            Lifecycle lifecycle = new Lifecycle("prog array pinned at " + subject);
            BpfProgArray map = new BpfProgArray(new BpfMap.Info(info.getString(24), type, fd, info.getInt(8),
                info.getInt(12), info.getInt(16), 0, 0), lifecycle);
            return new PinnedProgArray(lifecycle, map, fd);
        } catch (BpfException | RuntimeException e) {
            LibC.INSTANCE.close(fd);
            throw e;
        }
    }

    /** The map; every operation throws {@link IllegalStateException} once this handle is closed. */
    public BpfProgArray map() {
        return map;
    }

    @Override
    public void close() {
        lifecycle.close(() -> LibC.INSTANCE.close(fd));
    }
}
