package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import io.polycube.dataplane.api.XdpMode;

/** The baseline: one program that redirects to {@code dutOut} and does nothing else. */
final class Vanilla implements Dut {
    private final Hook hook;
    private BpfObject object;
    private BpfLink link;

    Vanilla(Hook hook) {
        this.hook = hook;
    }

    @Override
    public String name() {
        return "vanilla";
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        try (BpfObjectSpec spec = Objects.open("vanilla")) {
            object = spec.setConstant("out_ifindex", t.dutOut()).load();
        }
        try {
            if (hook == Hook.XDP) {
                object.devMap("tx_port").set(0, t.dutOut());
                link = program().attachXdp(t.dutIn(), XdpMode.DRV);
            } else {
                link = program().attachTc(t.dutIn(), TcDirection.INGRESS);
            }
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private BpfProgram program() {
        return object.program(hook == Hook.XDP ? "xdp_fwd" : "tc_fwd");
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) throws BpfException {
        byte[] ctx = Frames.context(hook, t.dutIn(), frame.length);
        return program().testRun(TestRun.of(frame).withRepeat(repeat).withCtxIn(ctx));
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
        if (object != null) {
            object.close();
            object = null;
        }
    }
}
