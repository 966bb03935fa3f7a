package io.polycube.core.impl;

import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfObject;
import io.polycube.dataplane.api.BpfObjectSpec;
import io.polycube.dataplane.api.Netdevs;
import io.polycube.dataplane.api.PacketSocket;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.XdpMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * packet_out into a cube (INGRESS, or EGRESS to a cube peer): the daemon's veth pair {@code <prefix>0}
 * &harr; {@code <prefix>1} with the injector programs on {@code <prefix>1} (XDP native for XDP cubes, TC
 * ingress for TC cubes), sharing the patch panels through their pins. A frame written to
 * {@code <prefix>0} with a {@code pcn_inj_hdr} in front reaches the cube in the header's slot with the
 * header's in_port (injector.bpf.c). The pair is made with {@code ip link} for now (rtnetlink over JNA
 * would avoid the process).
 */
final class Injector implements AutoCloseable {
    /** Larger than an Ethernet frame plus the header; small enough for XDP on veth. */
    private static final int MTU = 2000;

    private final String outside;
    private final int outsideIfindex;
    private final PacketSocket socket;
    private final BpfObject xdp;
    private final BpfObject tc;
    private final BpfLink xdpLink;
    private final BpfLink tcLink;

    private Injector(String outside, int outsideIfindex, PacketSocket socket, BpfObject xdp, BpfObject tc,
            BpfLink xdpLink, BpfLink tcLink) {
        this.outside = outside;
        this.outsideIfindex = outsideIfindex;
        this.socket = socket;
        this.xdp = xdp;
        this.tc = tc;
        this.xdpLink = xdpLink;
        this.tcLink = tcLink;
    }

    /** Creates {@code <prefix>0/1} (replacing stale ones) and attaches the injectors; all or nothing. */
    static Injector create(String prefix, Function<HookType, Path> patchPins, PacketSocket socket) throws CubeException {
        String outside = prefix + "0";
        String inside = prefix + "1";
        if (!prefix.matches("pcn[a-z0-9]{1,11}")) {
            throw CubeException.invalid("injector prefix must be pcn + up to 11 [a-z0-9], got " + prefix);
        }
        Undo undo = new Undo();
        try {
            Shell.run("ip", "link", "del", outside); // a previous daemon's, if it was killed
            Shell.check("ip", "link", "add", outside, "mtu", Integer.toString(MTU), "type", "veth", "peer", "name",
                inside, "mtu", Integer.toString(MTU));
            undo.push(() -> Shell.run("ip", "link", "del", outside));
            for (String dev : new String[] {outside, inside}) {
                // no IPv6 autoconfiguration or ND: the kernel itself sends nothing into the injector
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf", dev, "disable_ipv6"), "1");
                Shell.check("ip", "link", "set", dev, "up");
            }
            int outsideIndex = Netdevs.ifindex(outside).orElseThrow(() -> new IOException(outside + " vanished"));
            int insideIndex = Netdevs.ifindex(inside).orElseThrow(() -> new IOException(inside + " vanished"));
            BpfObject xdp = load("injector.xdp.o", patchPins.apply(HookType.XDP_DRV));
            undo.push(xdp::close);
            BpfObject tc = load("injector.tc.o", patchPins.apply(HookType.TC));
            undo.push(tc::close);
            BpfLink xdpLink = xdp.program(DataplaneLayout.INJECTOR_PROGRAM).attachXdp(insideIndex, XdpMode.DRV);
            undo.push(xdpLink::close);
            BpfLink tcLink = tc.program(DataplaneLayout.INJECTOR_PROGRAM).attachTc(insideIndex, TcDirection.INGRESS);
            undo.forget();
            return new Injector(outside, outsideIndex, socket, xdp, tc, xdpLink, tcLink);
        } catch (BpfException | IOException | RuntimeException e) {
            undo.rollback();
            throw CubeInstance.failed("injector " + outside + ": " + e.getMessage(), e);
        }
    }

    private static BpfObject load(String resource, Path patchPin) throws IOException, BpfException {
        byte[] elf;
        try (InputStream in = Injector.class.getResourceAsStream("/bpf/" + resource)) {
            if (in == null) {
                throw new IOException("bundle resource /bpf/" + resource + " missing");
            }
            elf = in.readAllBytes();
        }
        try (BpfObjectSpec spec = BpfObjectSpec.open(elf, "pcn_injector")) {
            return DataplaneLayout.pinShared(spec, patchPin).load();
        }
    }

    /** The frame enters the cube in patch-panel {@code slot} of {@code hook}'s family on port {@code inPort}. */
    void inject(HookType hook, int slot, int inPort, byte[] frame) throws CubeException {
        ByteBuffer b = ByteBuffer.allocate(DataplaneLayout.INJ_HEADER + frame.length); // big-endian
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        b.putShort((short) DataplaneLayout.INJ_ETHERTYPE).putInt(DataplaneLayout.INJ_MAGIC);
        b.putShort((short) (hook.isXdp() ? DataplaneLayout.INJ_FAMILY_XDP : DataplaneLayout.INJ_FAMILY_TC));
        b.putShort((short) inPort).putShort((short) slot).put(frame);
        try {
            socket.send(outsideIfindex, b.array());
        } catch (BpfException | IllegalStateException e) {
            throw CubeInstance.failed("injecting into slot " + slot + " via " + outside + ": " + e.getMessage(), e);
        }
    }

    /** Detaches, unloads and deletes the pair; never throws. */
    @Override
    public void close() {
        tcLink.close();
        xdpLink.close();
        tc.close();
        xdp.close();
        Shell.run("ip", "link", "del", outside);
    }
}
