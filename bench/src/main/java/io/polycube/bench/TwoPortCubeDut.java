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
 * A cube's compiled data path ({@code <cube>.<hook>.o}) wired as the core wires a two-port instance:
 * port 0 on the DUT's input netdev, port 1 on its output ({@link SimpleFwdWiring#connectNetdev}), after
 * the cube's own tables are filled by {@link #configure}. The micro figure runs port 0's link program.
 */
abstract class TwoPortCubeDut implements Dut {
    final Hook hook;
    private final String cube;
    private final Path objectDir;
    private final List<BpfLink> links = new ArrayList<>();
    private BpfObject object;

    TwoPortCubeDut(String cube, Hook hook, Path objectDir) {
        this.cube = cube;
        this.hook = hook;
        this.objectDir = objectDir;
    }

    /** Fills the cube's tables before its ports are attached. */
    abstract void configure(BpfObject object) throws BpfException;

    @Override
    public String name() {
        return cube;
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        wire(t.dutIn(), t.dutOut());
    }

    /** Loads, configures and attaches port 0 on netdev {@code in}, port 1 on {@code out}. */
    void wire(int in, int out) throws BpfException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve(cube + "." + hook.prefix() + ".o"))) {
            object = spec.load();
        }
        try {
            configure(object);
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 0, in));
            links.add(SimpleFwdWiring.connectNetdev(object, hook, 1, out));
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
