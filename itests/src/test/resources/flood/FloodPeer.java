// SPDX-License-Identifier: Apache-2.0
// This file contains the two ends of a test UDP flood; Flood runs it with `java FloodPeer.java` inside a namespace.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code send <ip> <port> <count> <pps>}: sends {@code count} 64-byte datagrams paced at {@code pps}, prints STARTED,
 * then {@code sent <n> <failed> <first-ms> <last-ms>}. {@code recv <port> <done-file> <rcvbuf>}: prints
 * {@code READY <rcvbuf it got>} once bound, counts datagrams until the done file exists and nothing arrived for half a
 * second, prints {@code received <n>}.
 */
public final class FloodPeer {
    public static void main(String[] args) throws IOException {
        if (args[0].equals("recv")) {
            receive(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
        } else {
            send(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
        }
    }

    private static void receive(int port, Path done, int buffer) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, buffer);
            ch.bind(new InetSocketAddress(port));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            System.out.println("READY " + ch.getOption(StandardSocketOptions.SO_RCVBUF));
            System.out.flush();
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long received = 0;
            long lastArrival = System.nanoTime();
            while (!(Files.exists(done) && System.nanoTime() - lastArrival > 500_000_000L)) {
                selector.select(100);
                selector.selectedKeys().clear();
                while (ch.receive(buf) != null) {
                    buf.clear();
                    received++;
                    lastArrival = System.nanoTime();
                }
            }
            System.out.println("received " + received);
        }
    }

    private static void send(String ip, int port, long count, long pps) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            InetSocketAddress to = new InetSocketAddress(ip, port);
            ByteBuffer buf = ByteBuffer.allocate(64);
            long sent = 0;
            System.out.println("STARTED");
            System.out.flush();
            long first = System.currentTimeMillis();
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                // Paced in 1 ms slices: sleep while ahead of the schedule, so the sender does not spin a core.
                long due = start + i * 1_000_000_000L / pps;
                long ahead = due - System.nanoTime();
                if (ahead > 1_000_000L) {
                    LockSupport.parkNanos(ahead);
                }
                buf.clear();
                buf.putLong(0, i);
                try {
                    if (ch.send(buf, to) > 0) {
                        sent++;
                    }
                } catch (IOException e) {
                    // Counted as not sent (e.g. no route while the test reconfigures): the receiver decides.
                }
            }
            System.out.println("sent " + sent + " " + (count - sent) + " " + first + " " + System.currentTimeMillis());
        }
    }
}
