package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simplebridge cube's compiled data path wired as the core and SimpleBridge.java wire a two-port
 * instance: port 0 on {@code dutIn}, port 1 on {@code dutOut} ({@link SimpleFwdWiring#connectNetdev}),
 * {@code bridge_config = {aging 300 s, port bound 2}}, and the bench frame's destination learned on
 * port 1 (a fresh {@code fdb} entry), so frames are known unicast: learning lookup + forwarding lookup.
 */
final class SimpleBridgeDut implements Dut {
    private final Hook hook;
    private final Path objectDir;
    private final List<BpfLink> links = new ArrayList<>();
    private BpfObject object;

    SimpleBridgeDut(Hook hook, Path objectDir) {
        this.hook = hook;
        this.objectDir = objectDir;
    }

    @Override
    public String name() {
        return "simplebridge";
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public void setUp(Topology t) throws BpfException {
        wire(t.dutIn(), t.dutOut());
    }

    /** Loads and wires port 0 on netdev {@code in}, port 1 on {@code out}. */
    void wire(int in, int out) throws BpfException {
        try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve("simplebridge." + hook.prefix() + ".o"))) {
            object = spec.load();
        }
        try {
            object.arrayMap("bridge_config").set(0, buffer(16).putLong(TimeUnit.SECONDS.toNanos(300)).putInt(2).putInt(0)
                .array());
            byte[] dst = new byte[6];
            System.arraycopy(BridgeBench.UNICAST, 0, dst, 0, 6);
            object.hashMap("fdb").update(dst, buffer(16).putInt(1).putInt(0).putLong(System.nanoTime()).array());
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

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
