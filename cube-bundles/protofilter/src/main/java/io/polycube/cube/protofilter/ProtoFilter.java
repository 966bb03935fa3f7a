package io.polycube.cube.protofilter;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeException;
import io.polycube.dataplane.api.BpfArrayMap;
import io.polycube.dataplane.api.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/** Control plane of one protofilter: keeps the {@code drop_protocol} table equal to the configuration. */
final class ProtoFilter implements CubeControl {
    private final CubeContext context;
    private Set<Integer> dropped = Set.of();

    ProtoFilter(CubeContext context) {
        this.context = context;
    }

    @Override
    public void configure(ConfigNode config) throws CubeException {
        Set<Integer> wanted = new HashSet<>();
        for (String protocol : config.leafList("drop-protocol")) {
            wanted.add(Integer.parseInt(protocol));
        }
        try {
            BpfArrayMap table = context.dataplane().arrayMap("drop_protocol");
            for (int protocol : wanted) {
                table.set(protocol, flag(1));
            }
            for (int protocol : dropped) {
                if (!wanted.contains(protocol)) {
                    table.set(protocol, flag(0));
                }
            }
        } catch (BpfException e) {
            throw new CubeException(CubeException.Kind.OPERATION_FAILED, "updating drop_protocol failed: " + e.getMessage(), e);
        }
        dropped = Set.copyOf(wanted);
    }

    static byte[] flag(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    @Override
    public void close() {
        // The table dies with the data path, which the core frees.
    }
}
