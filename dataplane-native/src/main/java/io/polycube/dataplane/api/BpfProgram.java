package io.polycube.dataplane.api;

import com.sun.jna.Memory;
import io.polycube.dataplane.impl.Errors;
import io.polycube.dataplane.impl.LibBpf;
import io.polycube.dataplane.impl.LibC;
import io.polycube.dataplane.impl.Lifecycle;
import io.polycube.dataplane.impl.Sys;
import io.polycube.dataplane.impl.TcLink;
import io.polycube.dataplane.impl.TcxLink;
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

    /**
     * Appends the program to the device's TCX hook (kernel 6.6+: a bpf_link, no qdisc, so the
     * device's other traffic pays nothing). Without TCX (found out once per JVM) it adds a
     * direct-action cls_bpf filter on the clsact qdisc instead, creating the qdisc if needed.
     * Programs on one hook run in attach order until one returns other than {@code TC_ACT_UNSPEC}.
     */
    public BpfLink attachTc(int ifindex, TcDirection direction) throws BpfException {
        owner.enter();
        try {
            BpfLink link = TcxLink.attachOrNull(name, fd, ifindex, direction);
            return link != null ? link : TcLink.attach(name, fd, ifindex, direction);
        } finally {
            owner.exit();
        }
    }

    /** The pre-TCX path, always: a cls_bpf filter on clsact (kept callable for its tests). */
    BpfLink attachTcClsact(int ifindex, TcDirection direction) throws BpfException {
        owner.enter();
        try {
            return TcLink.attach(name, fd, ifindex, direction);
        } finally {
            owner.exit();
        }
    }

    /** Runs the program {@code repeat} times (at least once) on {@code packet} with BPF_PROG_TEST_RUN. */
    public TestRunResult testRun(byte[] packet, int repeat) throws BpfException {
        return testRun(TestRun.of(packet).withRepeat(repeat));
    }

    /**
     * Runs {@code BPF_PROG_TEST_RUN} as requested. A live-frames run returns no data out (the
     * frames left through their verdicts); its duration is the mean per frame, including what
     * the kernel did with the frames inside the run (redirects, the receiving side's softirq).
     */
    public TestRunResult testRun(TestRun request) throws BpfException {
        byte[] packet = request.packet();
        byte[] ctx = request.ctxIn().orElse(null);
        boolean live = request.isLiveFrames();
        try (Memory in = new Memory(packet.length); Memory out = new Memory(packet.length + OUT_SLACK);
             Memory ctxIn = new Memory(ctx == null ? 1 : ctx.length); Memory opts = new Memory(TEST_RUN_OPTS_SIZE)) {
            in.write(0, packet, 0, packet.length);
            opts.clear();
            // offsets of struct bpf_test_run_opts (libbpf 1.1 bpf.h), checked with offsetof
            opts.setLong(0, TEST_RUN_OPTS_SIZE);
            opts.setPointer(8, in);
            opts.setInt(24, packet.length);
            if (!live) {
                opts.setPointer(16, out);
                opts.setInt(28, (int) out.size());
            }
            if (ctx != null) {
                ctxIn.write(0, ctx, 0, ctx.length);
                opts.setPointer(32, ctxIn);
                opts.setInt(48, ctx.length);
            }
            opts.setInt(60, request.repeat());
            opts.setInt(68, request.flags());
            opts.setInt(76, request.batchSize());
            owner.enter();
            try {
                Errors.check(LibBpf.INSTANCE.bpf_prog_test_run_opts(fd, opts), "bpf_prog_test_run_opts", name
                    + (live ? " (live frames)" : ""));
            } finally {
                owner.exit();
            }
            byte[] dataOut = live ? new byte[0] : out.getByteArray(0, opts.getInt(28));
            return new TestRunResult(opts.getInt(56), dataOut, Integer.toUnsignedLong(opts.getInt(64)));
        }
    }

    /** The kernel's id of the program (what {@code bpftool} and {@code ip link} show). */
    public int id() throws BpfException {
        owner.enter();
        try {
            return Sys.objectId(fd, name);
        } finally {
            owner.exit();
        }
    }

    /**
     * A duplicate of the program fd, owned by the caller (close it with {@code close(2)}); it keeps
     * the program loaded after the object is closed.
     */
    public int dupFd() throws BpfException {
        owner.enter();
        try {
            return Errors.checkErrno(LibC.INSTANCE.dup(fd), "dup", name);
        } finally {
            owner.exit();
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
