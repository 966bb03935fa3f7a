package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The simplebridge cube's compiled data path wired as the core and SimpleBridge.java wire a two-port
 * instance: port 0 on {@code dutIn}, port 1 on {@code dutOut} ({@link SimpleFwdWiring#connectNetdev}),
 * {@code bridge_config = {aging 300 s, port bound 2}}, and the bench frame's destination learned on
 * port 1 (a fresh {@code fdb} entry), so frames are known unicast: learning lookup + forwarding lookup.
 */
final class SimpleBridgeDut extends TwoPortCubeDut {
    SimpleBridgeDut(Hook hook, Path objectDir) {
        super("simplebridge", hook, objectDir);
    }

    @Override
    void configure(BpfObject object) throws BpfException {
        object.arrayMap("bridge_config").set(0, buffer(16).putLong(TimeUnit.SECONDS.toNanos(300)).putInt(2).putInt(0)
            .array());
        byte[] dst = new byte[6];
        System.arraycopy(BridgeBench.UNICAST, 0, dst, 0, 6);
        object.hashMap("fdb").update(dst, buffer(16).putInt(1).putInt(0).putLong(System.nanoTime()).array());
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
