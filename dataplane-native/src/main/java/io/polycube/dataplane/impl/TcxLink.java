package io.polycube.dataplane.impl;

import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.ProgramType;
import io.polycube.dataplane.api.TcDirection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCX attachment (kernel 6.6+): a bpf_link on the device's TCX hook, no qdisc involved, so a
 * device without TC programs pays nothing per packet. Programs on one hook run in attach order
 * (we always append) until one returns something other than {@code TC_ACT_UNSPEC}; TCX runs before
 * any clsact filter of the same device, and a TCX verdict other than {@code TC_ACT_UNSPEC} skips them.
 *
 * <p>libbpf 1.1 has no TCX API, so this issues {@code bpf(2)} itself. Command numbers and
 * {@code union bpf_attr} offsets were checked with offsetof against the running kernel's BTF (the
 * installed 6.1 uapi header predates TCX). The link keeps a duplicate of the attached program's fd:
 * {@link #replace} passes it as {@code old_prog_fd}, even after the program's object was closed.
 */
public final class TcxLink extends AbstractLink {
    private static final Logger LOG = LoggerFactory.getLogger(TcxLink.class);

    static final int BPF_PROG_QUERY = 16;
    static final int BPF_LINK_CREATE = 28;
    static final int BPF_LINK_UPDATE = 29;
    static final int BPF_LINK_GET_FD_BY_ID = 30;
    static final int BPF_LINK_DETACH = 34;
    static final int BPF_F_REPLACE = 4;
    /** Bytes of {@code union bpf_attr} passed: covers link_create (64 with tcx) and query (64). */
    static final int ATTR_SIZE = 64;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    private static final int MAX_QUERY = 64;
    private static final int ENOENT = 2;
    private static final int BPF_LINK_TYPE_TCX = 11;
    private static final int LINK_INFO_SIZE = 24;

    private enum Support { UNKNOWN, YES, NO }

    private static volatile Support support = Support.UNKNOWN;

    private final TcDirection direction;
    private final int linkFd;
    private int progFd;

    private TcxLink(String program, int ifindex, TcDirection direction, int linkFd, int progFd) {
        super(program, ifindex, ProgramType.SCHED_CLS);
        this.direction = direction;
        this.linkFd = linkFd;
        this.progFd = progFd;
    }

    /**
     * Appends {@code progFd} to the TCX hook. Returns null if the kernel has no TCX (found out by
     * the first attach and remembered for the JVM), so the caller falls back to clsact; throws for
     * any other refusal.
     */
    public static TcxLink attachOrNull(String program, int progFd, int ifindex, TcDirection direction)
            throws BpfException {
        if (support == Support.NO) {
            return null;
        }
        String subject = program + ", ifindex " + ifindex + ", tcx " + direction;
        int own = Errors.checkErrno(LibC.INSTANCE.dup(progFd), "dup", subject);
        int linkFd;
        try (Memory attr = attr()) {
            attr.setInt(0, own);
            attr.setInt(4, ifindex);
            attr.setInt(8, direction.tcxAttachType());
            // flags 0, tcx.relative_fd/id 0, expected_revision 0: append, no revision check
            linkFd = (int) bpf(BPF_LINK_CREATE, attr);
        }
        if (linkFd < 0) {
            int errno = Native.getLastError();
            LibC.INSTANCE.close(own);
            if ((errno == EINVAL || errno == EOPNOTSUPP) && support != Support.YES && !tcxHookExists()) {
                support = Support.NO;
                LOG.info("kernel has no TCX ({}): TC programs attach to the clsact qdisc", Errors.describe(errno));
                return null;
            }
            throw Errors.of("bpf(BPF_LINK_CREATE)", subject, errno);
        }
        support = Support.YES;
        return new TcxLink(program, ifindex, direction, linkFd, own);
    }

    /** See {@link io.polycube.dataplane.api.BpfLink#adoptTc}. */
    public static TcxLink adopt(Path pin, int ifindex, TcDirection direction) throws BpfException {
        String subject = pin + ", ifindex " + ifindex + ", tcx " + direction;
        int linkFd = Errors.checkErrno(LibBpf.INSTANCE.bpf_obj_get(pin.toString()), "bpf_obj_get", subject);
        int progFd = -1;
        try (Memory info = new Memory(LINK_INFO_SIZE); Memory len = new Memory(4)) {
            info.clear();
            len.setInt(0, LINK_INFO_SIZE);
            Errors.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(linkFd, info, len), "bpf_obj_get_info_by_fd", subject);
            // struct bpf_link_info: type, id, prog_id, then (8-aligned) the tcx union: ifindex, attach_type
            if (info.getInt(0) != BPF_LINK_TYPE_TCX || info.getInt(16) != ifindex
                    || info.getInt(20) != direction.tcxAttachType()) {
                throw new BpfException("the link pinned at " + pin + " is not on ifindex " + ifindex + " " + direction
                    + " any more (type " + info.getInt(0) + ", ifindex " + info.getInt(16) + ")", ENOENT);
            }
            progFd = Errors.checkErrno(LibBpf.INSTANCE.bpf_prog_get_fd_by_id(info.getInt(8)), "bpf_prog_get_fd_by_id",
                subject);
        } catch (BpfException | RuntimeException e) {
            LibC.INSTANCE.close(linkFd);
            throw e;
        }
        support = Support.YES;
        TcxLink link = new TcxLink("adopted", ifindex, direction, linkFd, progFd);
        link.adoptedFrom(pin);
        return link;
    }

    @Override
    void pinTo(Path path) throws BpfException {
        Errors.check(LibBpf.INSTANCE.bpf_obj_pin(linkFd, path.toString()), "bpf_obj_pin", this + " at " + path);
    }

    @Override
    boolean pinsProgram() {
        return false;
    }

    @Override
    void forget() {
        LibC.INSTANCE.close(linkFd);
        LibC.INSTANCE.close(progFd);
    }

    /**
     * A side-effect-free probe: a kernel without TCX refuses to query the TCX attach type (EINVAL);
     * a TCX kernel answers for the loopback device (ifindex 1 in every namespace).
     */
    private static boolean tcxHookExists() {
        try (Memory attr = attr()) {
            attr.setInt(0, 1);
            attr.setInt(4, TcDirection.INGRESS.tcxAttachType());
            return bpf(BPF_PROG_QUERY, attr) == 0 || Native.getLastError() != EINVAL;
        }
    }

    /**
     * The ids of the programs on a device's TCX hook in run order ({@code BPF_PROG_QUERY}); empty
     * if none. The installed bpftool (7.1) does not show TCX attachments per device.
     */
    public static List<Integer> programIds(int ifindex, TcDirection direction) throws BpfException {
        try (Memory attr = attr(); Memory ids = new Memory(4L * MAX_QUERY)) {
            attr.setInt(0, ifindex);
            attr.setInt(4, direction.tcxAttachType());
            attr.setPointer(16, ids);
            attr.setInt(24, MAX_QUERY);
            if (bpf(BPF_PROG_QUERY, attr) < 0) {
                throw Errors.of("bpf(BPF_PROG_QUERY)", "ifindex " + ifindex + ", tcx " + direction,
                    Native.getLastError());
            }
            int count = Math.min(attr.getInt(24), MAX_QUERY);
            List<Integer> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(ids.getInt(4L * i));
            }
            return out;
        }
    }

    static Memory attr() {
        Memory attr = new Memory(ATTR_SIZE);
        attr.clear();
        return attr;
    }

    /** {@code bpf(cmd, attr, ATTR_SIZE)}: the result, or -1 with errno in {@link Native#getLastError()}. */
    static long bpf(int cmd, Memory attr) {
        return LibC.INSTANCE.syscall(LibC.SYS_BPF, cmd, attr, ATTR_SIZE);
    }

    public TcDirection direction() {
        return direction;
    }

    /** The kernel's id of the link ({@code bpftool link show}: {@code <id>: type 11  prog <prog id>}). */
    public synchronized int linkId() throws BpfException {
        checkOpen();
        return Sys.objectId(linkFd, toString());
    }

    /**
     * {@code BPF_LINK_UPDATE} with {@code BPF_F_REPLACE} and our program as {@code old_prog_fd}: the
     * kernel swaps the program (RCU) only if ours is still the link's program, else EPERM.
     */
    @Override
    void swap(BpfProgram newProgram, String subject) throws BpfException {
        progFd = swapOwnedFd(newProgram, progFd, own -> {
            try (Memory attr = attr()) {
                attr.setInt(0, linkFd);
                attr.setInt(4, own);
                attr.setInt(8, BPF_F_REPLACE);
                attr.setInt(12, progFd);
                if (bpf(BPF_LINK_UPDATE, attr) < 0) {
                    throw Errors.fromErrno("bpf(BPF_LINK_UPDATE, REPLACE)", subject + ", tcx " + direction);
                }
            }
        });
    }

    /**
     * {@code BPF_LINK_DETACH} (detaches now, even if a copy of the link fd lives on somewhere),
     * then closes the link fd, which alone would detach as well.
     */
    @Override
    void detach(String subject) {
        try (Memory attr = attr()) {
            attr.setInt(0, linkFd);
            if (bpf(BPF_LINK_DETACH, attr) < 0) {
                LOG.warn("{}", Errors.of("bpf(BPF_LINK_DETACH)", subject + ", tcx " + direction,
                    Native.getLastError()).getMessage());
            }
        } finally {
            LibC.INSTANCE.close(linkFd);
            LibC.INSTANCE.close(progFd);
        }
    }

    @Override
    public synchronized String toString() {
        return "TcxLink[" + program() + " on ifindex " + ifindex() + " " + direction + "]";
    }
}
