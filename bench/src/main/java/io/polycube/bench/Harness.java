package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.BpfPerCpuArrayMap;
import io.polycube.dataplane.api.TestRun;
import io.polycube.dataplane.api.TestRunResult;
import io.polycube.dataplane.api.XdpMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Generator and sink around a {@link Dut}: a live-frames test run transmits {@code frames} frames
 * on {@code genTx}; they arrive on {@code dutIn} (the DUT; for a TC DUT an XDP_PASS program gives
 * the veth its receive path), leave on {@code dutOut}, and the sink on the far end counts and drops
 * them. The kernel's duration covers the whole chain: the receiving softirqs run when the
 * generator re-enables bottom halves after each batch.
 */
final class Harness implements AutoCloseable {
    private static final int XDP_REDIRECT = 4;
    private static final int TC_ACT_REDIRECT = 7;
    private static final int BATCH = 64;

    /** One measurement: kernel ns per frame, frames counted at the sink, micro ns per run. */
    record Sample(long nsPerFrame, long sent, long received, long microNs) {
        long lost() {
            return sent - received;
        }
    }

    private final Topology topology;
    private final BpfObject programs;
    private final BpfLink sinkLink;
    private final BpfPerCpuArrayMap sinkCount;

    private Harness(Topology topology, BpfObject programs, BpfLink sinkLink) {
        this.topology = topology;
        this.programs = programs;
        this.sinkLink = sinkLink;
        this.sinkCount = programs.perCpuArrayMap("sink_count");
    }

    static Harness create(Topology t) throws BpfException {
        return create(t, null);
    }

    /**
     * With {@code frame}, if given, written afresh by the generator before each send (for a DUT that rewrites
     * frames in place) and the sink counting IPv4 frames instead of the bench EtherType.
     */
    static Harness create(Topology t, byte[] frame) throws BpfException {
        BpfObject programs;
        try (BpfObjectSpec spec = Objects.open("harness")) {
            spec.setConstant("target_ifindex", t.genTx());
            if (frame != null) {
                spec.setConstant("gen_rewrite", 1);
                spec.setConstant("gen_frame", frame);
                spec.setConstant("sink_ethertype", 0x0800);
            }
            programs = spec.load();
        }
        try {
            return new Harness(t, programs, programs.program("xdp_sink").attachXdp(t.sink(), XdpMode.DRV));
        } catch (BpfException | RuntimeException e) {
            programs.close();
            throw e;
        }
    }

    Sample measure(Dut dut, int frames, int microRepeat) throws BpfException, InterruptedException {
        return measure(dut, frames, microRepeat, 1);
    }

    /**
     * Sets the DUT up once, then {@code bestOf} live runs of {@code frames} frames each and {@code bestOf}
     * micro runs: the sample keeps the fastest of each (the work is identical, a slower run only met more
     * interference from the shared host), its frame counts are the sums. Then the DUT is closed.
     */
    Sample measure(Dut dut, int frames, int microRepeat, int bestOf) throws BpfException, InterruptedException {
        return measure(dut, Frames.frame(), frames, microRepeat, bestOf);
    }

    /** As above with another frame (e.g. known unicast for a bridge). */
    Sample measure(Dut dut, byte[] frame, int frames, int microRepeat, int bestOf) throws BpfException, InterruptedException {
        BpfLink rxPath = null;
        try {
            if (dut.hook() == Hook.TC) {
                rxPath = programs.program("xdp_pass").attachXdp(topology.dutIn(), XdpMode.DRV);
            }
            dut.setUp(topology);
            long best = Long.MAX_VALUE;
            long received = 0;
            for (int i = 0; i < Math.max(1, bestOf); i++) {
                long before = sinkTotal();
                TestRunResult run = programs.program("xdp_gen").testRun(TestRun.of(frame).withRepeat(frames)
                    .liveFrames(BATCH));
                received += awaitSink(before, frames) - before;
                best = Math.min(best, run.durationNs());
            }
            long micro = microRepeat > 0 ? Long.MAX_VALUE : 0;
            for (int i = 0; microRepeat > 0 && i < Math.max(1, bestOf); i++) {
                TestRunResult m = dut.micro(topology, frame, microRepeat);
                int redirect = dut.hook() == Hook.XDP ? XDP_REDIRECT : TC_ACT_REDIRECT;
                if (m.retval() != redirect) {
                    throw new IllegalStateException(dut.hook().prefix() + "." + dut.name() + ": micro run verdict "
                        + m.retval() + ", expected the redirect verdict " + redirect);
                }
                micro = Math.min(micro, m.durationNs());
            }
            return new Sample(best, (long) frames * Math.max(1, bestOf), received, micro);
        } finally {
            dut.close();
            if (rxPath != null) {
                rxPath.close();
            }
        }
    }

    /** The sink's total once it reached {@code before + expected} or stopped moving for 200 ms. */
    private long awaitSink(long before, long expected) throws BpfException, InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            long now = sinkTotal();
            if (now - before >= expected) {
                return now;
            }
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 200_000_000L) {
                return now;
            }
            Thread.sleep(5);
        }
    }

    private long sinkTotal() throws BpfException {
        long total = 0;
        for (byte[] v : sinkCount.get(0)) {
            total += ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
        }
        return total;
    }

    @Override
    public void close() {
        sinkLink.close();
        programs.close();
    }

    static List<Long> values(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        List<Long> out = new ArrayList<>();
        samples.forEach(s -> out.add(f.applyAsLong(s)));
        return out;
    }
}
