package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of {@code length} simplefwd cubes between {@code dutIn} and {@code dutOut}, wired as the
 * core wires cube peers (core Chaining/Ports, simplefwd ChainDataPathTest): every object pins its
 * {@code pcn_patch} at one bpffs path, so all share one patch panel; cube k sits in slot k + 1 with
 * its {@code pcn_chain} program. Cube 0's port 0 is the netdev {@code dutIn}; cube k's port 1 is the
 * cube peer {@code {PEER_LINK, peer_port 0, slot k + 2}} and cube k + 1's port 0 the peer
 * {@code {PEER_LINK, 1, slot k + 1}} back, each port's {@code pcn_peer_progs} entry the peer's
 * {@code pcn_link_<peer port>}; the last cube's port 1 is the netdev {@code dutOut}. Every
 * cube has {@code actions[0] = FORWARD to port 1}. Netdev ports are connected by {@link SimpleFwdWiring},
 * as for {@link SimpleFwdDut}. With length 1 this is {@link SimpleFwdDut} plus the pinned panel.
 *
 * <p>The pin directory is {@code /sys/fs/bpf/<topology prefix>_<hook>c<length>}; {@link #close()}
 * removes it (and {@code bench/run} removes {@code /sys/fs/bpf/<prefix>*} after a kill -9).
 */
final class ChainDut implements Dut {
    private static final String PATCH = "pcn_patch";
    private static final String MD = "pcn_md";

    private final Hook hook;
    private final Path objectDir;
    private final int length;
    private final List<BpfObject> cubes = new ArrayList<>();
    private final List<BpfLink> links = new ArrayList<>();
    private Path pinDir;

    ChainDut(Hook hook, Path objectDir, int length) {
        if (length < 1 || length > 30) {
            throw new IllegalArgumentException("chain length 1..30 (tail-call limit 33): " + length);
        }
        this.hook = hook;
        this.objectDir = objectDir;
        this.length = length;
    }

    @Override
    public String name() {
        return "chain" + length;
    }

    int length() {
        return length;
    }

    @Override
    public Hook hook() {
        return hook;
    }

    private static int slot(int cube) {
        return cube + 1; // slot 0 is never used (see consts.h)
    }

    @Override
    public synchronized void setUp(Topology t) throws BpfException {
        try {
            pinDir = Path.of("/sys/fs/bpf", t.prefix() + "_" + hook.prefix() + "c" + length);
            Files.createDirectories(pinDir);
            Path patchPin = pinDir.resolve(PATCH);
            for (int k = 0; k < length; k++) {
                try (BpfObjectSpec spec = BpfObjectSpec.open(objectDir.resolve("simplefwd." + hook.prefix() + ".o"))) {
                    cubes.add(spec.pinMap(PATCH, patchPin).pinMap(MD, pinDir.resolve(MD)).load());
                }
            }
            for (int k = 0; k < length; k++) {
                BpfObject cube = cubes.get(k);
                if (k == 0) {
                    links.add(SimpleFwdWiring.connectNetdev(cube, hook, 0, t.dutIn()));
                } else {
                    SimpleFwdWiring.setPort(cube, 0, SimpleFwdWiring.PEER_LINK, 1, slot(k - 1));
                }
                if (k == length - 1) {
                    links.add(SimpleFwdWiring.connectNetdev(cube, hook, 1, t.dutOut()));
                } else {
                    SimpleFwdWiring.setPort(cube, 1, SimpleFwdWiring.PEER_LINK, 0, slot(k + 1));
                }
                SimpleFwdWiring.forwardPort0To1(cube);
            }
            // Downstream first, so no cube forwards into an empty slot. As the core does: the panel (for
            // injection) and each port's peer program (what pcn_pkt_redirect tail-calls).
            for (int k = length - 1; k >= 0; k--) {
                cubes.get(0).progArray(PATCH).set(slot(k), cubes.get(k).program("pcn_chain"));
                if (k > 0) {
                    cubes.get(k - 1).progArray("pcn_peer_progs").set(1, cubes.get(k).program(SimpleFwdWiring.linkProgram(0)));
                    cubes.get(k).progArray("pcn_peer_progs").set(0, cubes.get(k - 1).program(SimpleFwdWiring.linkProgram(1)));
                }
            }
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot create pin directory " + pinDir + ": " + e.getMessage(), e);
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public TestRunResult micro(Topology t, byte[] frame, int repeat) throws BpfException {
        byte[] ctx = Frames.context(hook, t.dutIn(), frame.length);
        return cubes.get(0).program(SimpleFwdWiring.linkProgram(0)).testRun(TestRun.of(frame).withRepeat(repeat).withCtxIn(ctx));
    }

    @Override
    public synchronized void close() {
        links.forEach(BpfLink::close);
        links.clear();
        if (!cubes.isEmpty()) {
            for (int k = 0; k < cubes.size(); k++) {
                try {
                    cubes.get(0).progArray(PATCH).clear(slot(k));
                } catch (BpfException | RuntimeException e) {
                    // an empty slot, or the object failed half-way: deleting the pin frees the panel anyway
                }
            }
            cubes.forEach(BpfObject::close);
            cubes.clear();
        }
        if (pinDir != null) {
            try {
                Files.deleteIfExists(pinDir.resolve(PATCH));
                Files.deleteIfExists(pinDir.resolve(MD));
                Files.deleteIfExists(pinDir);
            } catch (IOException e) {
                System.err.println("# warning: cannot remove " + pinDir + ": " + e.getMessage());
            }
            pinDir = null;
        }
    }
}
