package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.TcLink;
import io.polycube.dataplane.impl.XdpLink;
import java.nio.file.Path;

/**
 * A loaded program of a {@link BpfObject}, owned by it. Links made from it are separate handles:
 * they stay attached after the object is closed, until closed themselves.
 */
public final class BpfProgram {
    private static final int TEST_RUN_OPTS_SIZE = 80;
    // XDP may grow the packet at the head by up to XDP_PACKET_HEADROOM (256)
    private static final int OUT_SLACK = 512;

    private final String name;
    private final ProgramType type;
    private final int fd;
    private final Lifecycle owner;

    BpfProgram(String name, ProgramType type, int fd, Lifecycle owner) {
        this.name = name;
        this.type = type;
        this.fd = fd;
        this.owner = owner;
    }

    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    /** The program fd, valid while the owning object is open. */
    public int fd() {
        owner.enter();
        owner.exit();
        return fd;
    }

    /** Attaches without replacing any program already there (EBUSY if the hook is taken). */
    public BpfLink attachXdp(int ifindex, XdpMode mode) throws BpfException {
        owner.enter();
        try {
            return XdpLink.attach(name, fd, ifindex, mode);
        } finally {
            owner.exit();
        }
    }

    /** Adds a direct-action filter on the clsact qdisc, creating the qdisc if needed. */
    public BpfLink attachTc(int ifindex, TcDirection direction) throws BpfException {
        owner.enter();
        try {
            return TcLink.attach(name, fd, ifindex, direction);
        } finally {
            owner.exit();
        }
    }

    /** Runs the program {@code repeat} times (at least once) on {@code packet} with BPF_PROG_TEST_RUN. */
    public TestRunResult testRun(byte[] packet, int repeat) throws BpfException {
        if (packet.length == 0 || repeat < 0) {
            throw new IllegalArgumentException("testRun needs a packet and repeat >= 0");
        }
        try (Memory in = new Memory(packet.length); Memory out = new Memory(packet.length + OUT_SLACK);
             Memory opts = new Memory(TEST_RUN_OPTS_SIZE)) {
            in.write(0, packet, 0, packet.length);
            opts.clear();
            opts.setLong(0, TEST_RUN_OPTS_SIZE);
            opts.setPointer(8, in);
            opts.setPointer(16, out);
            opts.setInt(24, packet.length);
            opts.setInt(28, (int) out.size());
            opts.setInt(60, repeat);
            owner.enter();
            try {
                Errors.check(LibBpf.INSTANCE.bpf_prog_test_run_opts(fd, opts), "bpf_prog_test_run_opts", name);
            } finally {
                owner.exit();
            }
            byte[] dataOut = out.getByteArray(0, opts.getInt(28));
            return new TestRunResult(opts.getInt(56), dataOut, Integer.toUnsignedLong(opts.getInt(64)));
        }
    }

    public void pin(Path path) throws BpfException {
        owner.enter();
        try {
            Errors.check(LibBpf.INSTANCE.bpf_obj_pin(fd, path.toString()), "bpf_obj_pin", name + " at " + path);
        } finally {
            owner.exit();
        }
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + " " + type + "]";
    }
}
