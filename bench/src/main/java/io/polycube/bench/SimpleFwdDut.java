package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simplefwd cube's compiled data path (cube-bundles/simplefwd/target/classes/bpf), loaded
 * and wired as the core wires a two-port instance (core Ports/DataplaneLayout, SimpleFwd): port 0
 * "in" on {@code dutIn}, port 1 "out" on {@code dutOut}, each port's pcn_link program attached to its
 * peer (XDP driver mode or TC ingress), {@code actions[0] = FORWARD to port 1} ({@link SimpleFwdWiring}).
 */
final class SimpleFwdDut implements Dut {
    private final Hook hook;
    private final Path objectDir;
    private final List<BpfLink> links = new ArrayList<>();
    private BpfObject object;

    SimpleFwdDut(Hook hook, Path objectDir) {
        this.hook = hook;
        this.objectDir = objectDir;
    }

    @Override
    public String name() {
        return "simplefwd";
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve("simplefwd." + hook.prefix() + ".o"))) {
            object = spec.load();
        }
        try {
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 0, t.dutIn()));
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 1, t.dutOut()));
            SimpleFwdWiring.forwardPort0To1(object);
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) throws BpfException {
        byte[] ctx = Frames.context(hook, t.dutIn(), frame.length);
        return object.program(SimpleFwdWiring.linkProgram(0)).testRun(TestRun.of(frame).withRepeat(repeat).withCtxIn(ctx));
    }

    @Override
    public void close() {
        links.forEach(BpfLink::close);
        links.clear();
        if (object != null) {
            object.close();
            object = null;
        }
    }
}
