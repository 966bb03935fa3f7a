package io.polycube.dataplane.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.TcDirection;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** TcxLink.replace is a compare-and-swap: it fails if somebody else swapped the link's program. */
class TcxLinkTest {
    private static BpfObject load() throws Exception {
        try (InputStream in = TcxLinkTest.class.getResourceAsStream("/bpf/test_tc.bpf.o");
             BpfObjectSpec spec = BpfObjectSpec.open(in.readAllBytes(), "test_tc")) {
            return spec.load();
        }
    }

    @Test
    void replaceFailsIfSomebodyElseUpdatedTheLink() throws Exception {
        String dev = "pcnt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "a";
        run("ip", "link", "add", dev, "type", "veth", "peer", "name", dev.substring(0, dev.length() - 1) + "b");
        try (BpfObject mine = load(); BpfObject intruder = load(); BpfObject next = load()) {
            int ifindex = io.polycube.dataplane.api.Netdevs.ifindex(dev).orElseThrow();
            TcxLink link = assertInstanceOf(TcxLink.class, mine.program("tc_test").attachTc(ifindex,
                TcDirection.EGRESS));
            try {
                // somebody else gets hold of our link by id and updates it unconditionally
                int other;
                try (Memory attr = TcxLink.attr()) {
                    attr.setInt(0, link.linkId());
                    other = (int) TcxLink.bpf(TcxLink.BPF_LINK_GET_FD_BY_ID, attr);
                    assertTrue(other >= 0, "errno " + Native.getLastError());
                }
                try (Memory attr = TcxLink.attr()) {
                    attr.setInt(0, other);
                    attr.setInt(4, intruder.program("tc_test").fd());
                    assertEquals(0, TcxLink.bpf(TcxLink.BPF_LINK_UPDATE, attr), "errno " + Native.getLastError());
                } finally {
                    LibC.INSTANCE.close(other);
                }
                int intruderId = intruder.program("tc_test").id();
                assertEquals(List.of(intruderId), TcxLink.programIds(ifindex, TcDirection.EGRESS));
                BpfException e = assertThrows(BpfException.class, () -> link.replace(next.program("tc_test")));
                assertEquals(1, e.errno(), e.getMessage()); // EPERM: the link's program is not ours any more
                assertTrue(e.getMessage().startsWith("bpf(BPF_LINK_UPDATE, REPLACE)(tc_test -> tc_test"), e.getMessage());
                assertEquals(List.of(intruderId), TcxLink.programIds(ifindex, TcDirection.EGRESS));
            } finally {
                link.close();
            }
            assertEquals(List.of(), TcxLink.programIds(ifindex, TcDirection.EGRESS));
        } finally {
            run("ip", "link", "del", dev);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
