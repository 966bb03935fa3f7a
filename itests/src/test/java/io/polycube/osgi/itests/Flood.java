// SPDX-License-Identifier: Apache-2.0
// This file contains a UDP flood between test namespaces, counted exactly at the sending and the receiving socket.
package io.polycube.osgi.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A paced flood of 64-byte UDP datagrams from one {@link Netns} to another, running in the background while a
 * test acts on the data path. Both ends are small Java programs ({@code flood/FloodPeer.java}) run inside the
 * namespaces: the sender counts the datagrams its socket took, the receiver those its socket got, so loss is
 * exact. Interface counters are not: background ARP and IPv6 traffic lands on them; and iperf3's own UDP
 * counts race its end-of-test message (the last datagrams are often missed).
 */
public final class Flood implements AutoCloseable {
    private static final AtomicInteger PORTS = new AtomicInteger(20_000 + (int) (ProcessHandle.current().pid() % 5000));
    /** The host's cap on what SO_RCVBUF may ask for; not per namespace, and read-only inside one. */
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");
    /** What the receiver asks for (the kernel doubles it): seconds of datagrams at 50,000/s. */
    static final long RECEIVE_BUFFER = 64L << 20;
    private static Path program;
    private static int running;
    private static long rmemMaxBefore = -1;
    private static boolean restoreHook;

    /**
     * What one flood sent and received, and when the sender ran (wall clock, ms). {@code overflowed}: datagrams
     * the receiving host's UDP layer took in but dropped because the receiver's socket buffer was full (its
     * {@code Udp RcvbufErrors} over the flood): they crossed the data path, the receiving program was late.
     */
    public record Result(long sent, long failed, long received, long overflowed, long startMillis, long endMillis) {
        public long lost() {
            return sent + failed - received;
        }

        public double packetsPerSecond() {
            return sent * 1000.0 / Math.max(1, endMillis - startMillis);
        }

        /**
         * Asserts what every test of an operation under a flood needs besides its loss count: each time in
         * {@code operations} inside the flood ({@code margin} from either end), the rate at least 80 % of
         * {@code packetsPerSecond}, nothing refused by the sender's socket.
         */
        public void assertOperationsInside(String what, List<Long> operations, Duration margin, int packetsPerSecond) {
            for (long at : operations) {
                org.junit.Assert.assertTrue(what + " at " + at + " outside the flood " + startMillis + ".." + endMillis,
                        covers(at, margin));
            }
            org.junit.Assert.assertTrue(toString(), packetsPerSecond() > packetsPerSecond * 0.8);
            org.junit.Assert.assertEquals(toString(), 0, failed);
        }

        /** True if {@code millis} lies inside the flood, at least {@code margin} from either end. */
        public boolean covers(long millis, Duration margin) {
            return millis - margin.toMillis() >= startMillis && millis + margin.toMillis() <= endMillis;
        }

        @Override
        public String toString() {
            return String.format("sent %d (+%d refused by the sender's socket), received %d, lost %d (%d of them "
                    + "reached the receiving host but overflowed its socket buffer), %.0f pps", sent, failed, received,
                    lost(), overflowed, packetsPerSecond());
        }
    }

    private final String to;
    private final long overflowBefore;
    private final Process receiver;
    private final Process sender;
    private final BufferedReader receiverOut;
    private final BufferedReader senderOut;
    private final Path done;
    private final Duration length;
    private boolean closed;

    private Flood(String to, long overflowBefore, Process receiver, BufferedReader receiverOut, Process sender,
            BufferedReader senderOut, Path done, Duration length) {
        this.to = to;
        this.overflowBefore = overflowBefore;
        this.receiver = receiver;
        this.receiverOut = receiverOut;
        this.sender = sender;
        this.senderOut = senderOut;
        this.done = done;
        this.length = length;
    }

    /**
     * Starts sending {@code packetsPerSecond} datagrams for {@code length} from {@code from} to {@code ip} (an
     * address of {@code to}); returns once the receiver listens and the sender runs.
     */
    public static Flood start(Netns from, Netns to, String ip, int packetsPerSecond, Duration length) {
        return start(from.name(), to.name(), ip, packetsPerSecond, length);
    }

    /** {@link #start(Netns, Netns, String, int, Duration)} between namespaces known by name. */
    public static Flood start(String from, String to, String ip, int packetsPerSecond, Duration length) {
        return start(from, to, ip, PORTS.getAndIncrement(), packetsPerSecond, length);
    }

    private static Flood start(String from, String to, String ip, int port, int packetsPerSecond, Duration length) {
        long count = packetsPerSecond * length.toMillis() / 1000;
        try {
            Path source = program();
            // A veth hands the local stack's datagrams on with the checksum left to "hardware" (CHECKSUM_PARTIAL);
            // an XDP redirect cannot carry that note, so the receiver would drop every datagram as corrupt. A
            // physical NIC's frames arrive complete: make the sender compute checksums itself, as they would be.
            Netns.runChecked("ip", "netns", "exec", from, "ethtool", "-K", "eth0", "tx", "off");
            Path done = Files.createTempFile("pcn-flood", ".done");
            Files.delete(done);
            long overflowBefore = receiveBufferErrors(to);
            raiseReceiveBufferCap();
            // Both ends run SCHED_FIFO: a burst of CPU elsewhere (Karaf resolving a feature on 2 cores) must not
            // stall the receiver, nor the sender, whose schedule then sends the backlog as one burst.
            Process receiver = null;
            Process sender = null;
            try {
                receiver = new ProcessBuilder("ip", "netns", "exec", to, "chrt", "-f", "10", java(), source.toString(),
                        "recv", Integer.toString(port), done.toString(), Long.toString(RECEIVE_BUFFER))
                        .redirectErrorStream(true).start();
                BufferedReader receiverOut = reader(receiver);
                String line = receiverOut.readLine();
                if (line == null || !line.startsWith("READY ")) {
                    throw new IllegalStateException("flood receiver in " + to + " did not start: " + line);
                }
                if (Long.parseLong(line.substring("READY ".length())) < RECEIVE_BUFFER) {
                    throw new IllegalStateException("flood receiver in " + to + " got a smaller socket buffer than "
                            + RECEIVE_BUFFER + " bytes: " + line);
                }
                sender = new ProcessBuilder("ip", "netns", "exec", from, "chrt", "-f", "10", java(), source.toString(),
                        "send", ip, Integer.toString(port), Long.toString(count), Integer.toString(packetsPerSecond))
                        .redirectErrorStream(true).start();
                // The source launcher compiles for about a second before the first datagram leaves.
                BufferedReader senderOut = reader(sender);
                String started = senderOut.readLine();
                if (!"STARTED".equals(started)) {
                    throw new IllegalStateException("flood sender in " + from + " did not start: " + started);
                }
                return new Flood(to, overflowBefore, receiver, receiverOut, sender, senderOut, done, length);
            } catch (IOException | RuntimeException e) {
                for (Process p : new Process[] {sender, receiver}) {
                    if (p != null) {
                        p.destroyForcibly();
                    }
                }
                restoreReceiveBufferCap();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the flood", e);
        }
    }

    /**
     * Lets the receiver's socket hold seconds of the flood while a flood runs. Both ends run SCHED_FIFO, yet on a
     * shared 2-vCPU machine the receiver still stalled long enough once (CI, 2026-12-04: 8,985 datagrams
     * overflowed the buffer the host's cap allowed); a datagram that crossed every cube must not be lost for that.
     * The cap is the host's own, so it goes back to what it was when the last flood ends, or when the JVM exits.
     */
    private static synchronized void raiseReceiveBufferCap() {
        if (running++ > 0) {
            return;
        }
        try {
            long now;
            // Files.readString sees only the first byte of a sysctl file on this JDK; a line reader sees it all.
            try (BufferedReader in = Files.newBufferedReader(RMEM_MAX)) {
                now = Long.parseLong(in.readLine().trim());
            }
            if (now < RECEIVE_BUFFER) {
                Files.writeString(RMEM_MAX, Long.toString(RECEIVE_BUFFER));
                rmemMaxBefore = now;
                if (!restoreHook) {
                    restoreHook = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(Flood::restoreAtExit, "pcn-flood-rmem"));
                }
            }
        } catch (IOException e) {
            running--;
            throw new IllegalStateException("cannot raise " + RMEM_MAX + " for the flood receiver", e);
        }
    }

    private static synchronized void restoreReceiveBufferCap() {
        if (--running == 0) {
            restoreAtExit();
        }
    }

    private static synchronized void restoreAtExit() {
        if (rmemMaxBefore >= 0) {
            try {
                Files.writeString(RMEM_MAX, Long.toString(rmemMaxBefore));
                rmemMaxBefore = -1;
            } catch (IOException e) {
                System.err.println("could not put " + RMEM_MAX + " back to " + rmemMaxBefore + ": " + e);
            }
        }
    }

    /** Sends {@code count} datagrams at {@code packetsPerSecond} and returns what arrived. */
    public static Result send(Netns from, Netns to, String ip, int count, int packetsPerSecond) {
        return send(from.name(), to.name(), ip, count, packetsPerSecond);
    }

    /** {@link #send(Netns, Netns, String, int, int)} between namespaces known by name. */
    public static Result send(String from, String to, String ip, int count, int packetsPerSecond) {
        return send(from, to, ip, PORTS.getAndIncrement(), count, packetsPerSecond);
    }

    /** {@link #send(Netns, Netns, String, int, int)} to UDP port {@code port} (a data path may treat it apart). */
    public static Result sendToPort(Netns from, Netns to, String ip, int port, int count, int packetsPerSecond) {
        return send(from.name(), to.name(), ip, port, count, packetsPerSecond);
    }

    private static Result send(String from, String to, String ip, int port, int count, int packetsPerSecond) {
        return start(from, to, ip, port, packetsPerSecond, Duration.ofMillis(1000L * count / packetsPerSecond)).await();
    }

    /** Waits for the flood to end and returns its exact counts. */
    public Result await() {
        try {
            if (!sender.waitFor(length.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("flood sender did not finish");
            }
            String[] sent = lastLine(senderOut).split(" ");
            Files.writeString(done, "");
            if (!receiver.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("flood receiver did not finish");
            }
            String[] received = lastLine(receiverOut).split(" ");
            if (!sent[0].equals("sent") || !received[0].equals("received")) {
                throw new IllegalStateException("flood ends said " + String.join(" ", sent) + " / "
                        + String.join(" ", received));
            }
            return new Result(Long.parseLong(sent[1]), Long.parseLong(sent[2]), Long.parseLong(received[1]),
                    receiveBufferErrors(to) - overflowBefore, Long.parseLong(sent[3]), Long.parseLong(sent[4]));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            close();
        }
    }

    /** {@code Udp: RcvbufErrors} of the namespace's kernel ({@code /proc/net/snmp} there). */
    private static long receiveBufferErrors(String ns) {
        String[] lines = Netns.runChecked("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").output().split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                List<String> names = List.of(lines[i].trim().split("\\s+"));
                return Long.parseLong(lines[i + 1].trim().split("\\s+")[names.indexOf("RcvbufErrors")]);
            }
        }
        throw new IllegalStateException("no Udp counters in /proc/net/snmp of " + ns);
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String lastLine(BufferedReader in) throws IOException {
        String last = "";
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                last = line.trim();
            }
        }
        return last;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static synchronized Path program() throws IOException {
        if (program == null) {
            try (InputStream in = Flood.class.getResourceAsStream("/flood/FloodPeer.java")) {
                if (in == null) {
                    throw new IOException("flood/FloodPeer.java is not on the test class path");
                }
                Path dir = Files.createTempDirectory("pcn-flood");
                dir.toFile().deleteOnExit();
                program = dir.resolve("FloodPeer.java");
                Files.write(program, in.readAllBytes());
                program.toFile().deleteOnExit();
            }
        }
        return program;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!closed) {
                closed = true;
                restoreReceiveBufferCap();
            }
        }
        for (Process p : new Process[] {sender, receiver}) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(done);
        } catch (IOException ignored) {
            // a marker file in the temp directory
        }
    }
}
