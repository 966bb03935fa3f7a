package io.polycube.dataplane.impl;

import java.nio.file.Path;

import com.sun.jna.Memory;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.ProgramType;
import io.polycube.dataplane.api.TcDirection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A direct-action cls_bpf filter on the clsact qdisc: the fallback for kernels without TCX
 * ({@link TcxLink}). The kernel picks the handle and priority (we pass 0 and the request is
 * exclusive), so we never replace someone else's filter and close removes exactly ours. The clsact
 * qdisc is never destroyed: other filters (ours or anybody's) may live on it. Its cost: once a
 * clsact exists, every packet the device transmits goes through its egress path (~10-20 ns), even
 * with no egress filter; TCX has no such cost.
 */
public final class TcLink extends AbstractLink {
    private static final Logger LOG = LoggerFactory.getLogger(TcLink.class);
    private static final int HOOK_SIZE = 24;
    private static final int OPTS_SIZE = 32;
    private static final int EEXIST = 17;
    private static final int EOPNOTSUPP = 95;
    private static final int BPF_TC_F_REPLACE = 1;

    private final TcDirection direction;
    private final int handle;
    private final int priority;

    private TcLink(String program, int ifindex, TcDirection direction, int handle, int priority) {
        super(program, ifindex, ProgramType.SCHED_CLS);
        this.direction = direction;
        this.handle = handle;
        this.priority = priority;
    }

    public static TcLink attach(String program, int progFd, int ifindex, TcDirection direction) throws BpfException {
        String subject = program + ", ifindex " + ifindex + ", " + direction;
        try (Memory hook = hook(ifindex, direction); Memory opts = opts(0, 0)) {
            int ret = LibBpf.INSTANCE.bpf_tc_hook_create(hook);
            if (ret < 0 && ret != -EEXIST) {
                throw Errors.fromReturn("bpf_tc_hook_create", subject, ret);
            }
            opts.setInt(8, progFd);
            Errors.check(LibBpf.INSTANCE.bpf_tc_attach(hook, opts), "bpf_tc_attach", subject);
            return new TcLink(program, ifindex, direction, opts.getInt(20), opts.getInt(24));
        }
    }

    private static Memory hook(int ifindex, TcDirection direction) {
        Memory hook = new Memory(HOOK_SIZE);
        hook.clear();
        hook.setLong(0, HOOK_SIZE);
        hook.setInt(8, ifindex);
        hook.setInt(12, direction.attachPoint());
        return hook;
    }

    private static Memory opts(int handle, int priority) {
        Memory opts = new Memory(OPTS_SIZE);
        opts.clear();
        opts.setLong(0, OPTS_SIZE);
        opts.setInt(20, handle);
        opts.setInt(24, priority);
        return opts;
    }

    /**
     * {@code BPF_TC_F_REPLACE} on our handle and priority: cls_bpf swaps the filter's program
     * (RCU), so the filter never disappears. Unlike XDP this is not conditional on the old program:
     * the kernel has no compare-and-swap for cls_bpf, and the handle/priority pair is ours.
     */
    @Override
    void swap(BpfProgram newProgram, String subject) throws BpfException {
        int own = newProgram.dupFd();
        try (Memory hook = hook(ifindex(), direction); Memory opts = opts(handle, priority)) {
            opts.setInt(8, own);
            opts.setInt(12, BPF_TC_F_REPLACE);
            Errors.check(LibBpf.INSTANCE.bpf_tc_attach(hook, opts), "bpf_tc_attach(REPLACE)", subject + ", " + direction);
        } finally {
            // the filter holds its own reference to the program
            LibC.INSTANCE.close(own);
        }
    }

    @Override
    void detach(String subject) {
        try (Memory hook = hook(ifindex(), direction); Memory opts = opts(handle, priority)) {
            int ret = LibBpf.INSTANCE.bpf_tc_detach(hook, opts);
            if (ret < 0) {
                LOG.warn("{}", Errors.fromReturn("bpf_tc_detach", subject + ", " + direction, ret).getMessage());
            }
        }
    }

    @Override
    void pinTo(Path path) throws BpfException {
        throw new BpfException(this + ": a clsact filter cannot be pinned (kernels with TCX attach links)", EOPNOTSUPP);
    }

    @Override
    boolean pinsProgram() {
        return false;
    }

    @Override
    void forget() {
        // never pinned, never released
    }

    @Override
    public synchronized String toString() {
        return "TcLink[" + program() + " on ifindex " + ifindex() + " " + direction + " handle " + handle + " prio "
            + priority + "]";
    }
}
