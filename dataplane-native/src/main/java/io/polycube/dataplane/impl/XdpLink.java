package io.polycube.dataplane.impl;

import com.sun.jna.ptr.IntByReference;
import java.nio.file.Path;

import com.sun.jna.Memory;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.ProgramType;
import io.polycube.dataplane.api.XdpMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An XDP attachment made with {@code XDP_FLAGS_UPDATE_IF_NOEXIST}. It keeps its own duplicate of
 * the program fd: detaching passes it as the expected old program, so we only ever remove our own
 * program, even after the loaded object was closed.
 */
public final class XdpLink extends AbstractLink {
    private static final Logger LOG = LoggerFactory.getLogger(XdpLink.class);
    private static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    private static final int XDP_FLAGS_REPLACE = 16;
    private static final int ATTACH_OPTS_SIZE = 16;
    private static final int ENOENT = 2;

    private final XdpMode mode;
    private int progFd;

    private XdpLink(String program, int ifindex, XdpMode mode, int progFd) {
        super(program, ifindex, ProgramType.XDP);
        this.mode = mode;
        this.progFd = progFd;
    }

    public static XdpLink attach(String program, int progFd, int ifindex, XdpMode mode) throws BpfException {
        String subject = program + ", ifindex " + ifindex;
        int own = Errors.checkErrno(LibC.INSTANCE.dup(progFd), "dup", subject);
        int ret = LibBpf.INSTANCE.bpf_xdp_attach(ifindex, own, mode.flag() | XDP_FLAGS_UPDATE_IF_NOEXIST, null);
        if (ret < 0) {
            LibC.INSTANCE.close(own);
            throw Errors.fromReturn("bpf_xdp_attach", subject + ", " + mode, ret);
        }
        return new XdpLink(program, ifindex, mode, own);
    }

    /** See {@link io.polycube.dataplane.api.BpfLink#adoptXdp}. */
    public static XdpLink adopt(Path pin, int ifindex, XdpMode mode) throws BpfException {
        String subject = pin + ", ifindex " + ifindex + ", " + mode;
        int fd = Errors.checkErrno(LibBpf.INSTANCE.bpf_obj_get(pin.toString()), "bpf_obj_get", subject);
        try {
            IntByReference attached = new IntByReference();
            Errors.check(LibBpf.INSTANCE.bpf_xdp_query_id(ifindex, mode.flag(), attached), "bpf_xdp_query_id", subject);
            int pinned = Sys.objectId(fd, subject);
            if (attached.getValue() != pinned) {
                throw new BpfException("the program pinned at " + pin + " (id " + pinned + ") is not the one attached to "
                    + "ifindex " + ifindex + " (" + (attached.getValue() == 0 ? "none" : "id " + attached.getValue()) + ")",
                    ENOENT);
            }
        } catch (BpfException | RuntimeException e) {
            LibC.INSTANCE.close(fd);
            throw e;
        }
        XdpLink link = new XdpLink("adopted", ifindex, mode, fd);
        link.adoptedFrom(pin);
        return link;
    }

    @Override
    void pinTo(Path path) throws BpfException {
        Errors.check(LibBpf.INSTANCE.bpf_obj_pin(progFd, path.toString()), "bpf_obj_pin", this + " at " + path);
    }

    @Override
    boolean pinsProgram() {
        return true;
    }

    @Override
    void forget() {
        LibC.INSTANCE.close(progFd);
    }

    /**
     * {@code XDP_FLAGS_REPLACE} with our program as {@code old_prog_fd}: the kernel swaps the
     * program pointer (RCU) only if ours is still the attached one, else fails with EEXIST.
     */
    @Override
    void swap(BpfProgram newProgram, String subject) throws BpfException {
        progFd = swapOwnedFd(newProgram, progFd, own -> {
            try (Memory opts = oldProgramOpts()) {
                Errors.check(LibBpf.INSTANCE.bpf_xdp_attach(ifindex(), own, mode.flag() | XDP_FLAGS_REPLACE, opts),
                    "bpf_xdp_attach(REPLACE)", subject + ", " + mode);
            }
        });
    }

    /** {@code struct bpf_xdp_attach_opts} naming our program as the one expected on the device. */
    private Memory oldProgramOpts() {
        Memory opts = new Memory(ATTACH_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, ATTACH_OPTS_SIZE);
        opts.setInt(8, progFd);
        return opts;
    }

    @Override
    void detach(String subject) {
        try (Memory opts = oldProgramOpts()) {
            int ret = LibBpf.INSTANCE.bpf_xdp_detach(ifindex(), mode.flag(), opts);
            if (ret < 0) {
                LOG.warn("{}", Errors.fromReturn("bpf_xdp_detach", subject, ret).getMessage());
            }
        } finally {
            LibC.INSTANCE.close(progFd);
        }
    }

    @Override
    public synchronized String toString() {
        return "XdpLink[" + program() + " on ifindex " + ifindex() + " " + mode + "]";
    }
}
