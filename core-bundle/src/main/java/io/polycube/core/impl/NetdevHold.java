package io.polycube.core.impl;

import io.polycube.core.spi.CubeException;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfProgram;

/**
 * A transparent cube's attachment to a netdev no port owns: the cube is first in that device's chain,
 * so its entry program is the one on the device. The attachment moves between the cubes of a chain by
 * one atomic program replacement, and steps aside for a port that takes the device (XDP allows one
 * program per device).
 */
final class NetdevHold implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetdevHold.class);
    private record Held(BpfLink link, int ifindex, boolean egress) {
    }

    private final CubeInstance cube;
    private final NetdevClaims claims;
    private final NetdevClaims.Yield stepAside = this::detach;
    private Held held;

    NetdevHold(CubeInstance cube, NetdevClaims claims) {
        this.cube = cube;
        this.claims = claims;
    }

    synchronized boolean holds(int ifindex, boolean egress) {
        return held != null && held.ifindex() == ifindex && held.egress() == egress;
    }

    synchronized boolean holdsAny() {
        return held != null;
    }

    /**
     * Attaches the cube's entry program to the device, pinned under the cube's pins (if any); an attachment an
     * earlier polycubed pinned there is taken over by one atomic replace.
     */
    synchronized void attach(String device, int ifindex, boolean egress, Undo undo) throws CubeException {
        BpfLink link = Ports.attachEntry(cube.master().program(DataplaneLayout.ENTRY_PROGRAM), cube.hook(), ifindex,
            egress, cube.name(), device, cube.pins());
        take(new Held(link, ifindex, egress));
        undo.push(this::close);
    }

    /** Moves the attachment to {@code first}'s hold, its program replacing this cube's on the device. */
    synchronized void handTo(NetdevHold first, Undo undo) throws CubeException {
        Held mine = held;
        try {
            mine.link().replace(first.cube.master().program(DataplaneLayout.ENTRY_PROGRAM));
        } catch (BpfException e) {
            throw CubeInstance.failed(cube.name() + ": moving the netdev attachment to " + first.cube.name()
                + " failed: " + e.getMessage(), e);
        }
        Runnable back = () -> { };
        if (cube.pins() != null && first.cube.pins() != null) {
            // The pin goes with the attachment: a crash leaves it where the next polycubed looks for it.
            try {
                java.nio.file.Path from = cube.pins().link(cube.hook(), mine.ifindex(), mine.egress());
                mine.link().movePin(first.cube.pins().link(cube.hook(), mine.ifindex(), mine.egress()));
                back = () -> moveBack(mine, from);
            } catch (BpfException | java.io.IOException e) {
                restore(mine);
                throw CubeInstance.failed(cube.name() + ": moving the pin of its netdev attachment to " + first.cube.name()
                    + " failed: " + e.getMessage(), e);
            }
        }
        forget();
        first.take(mine);
        Runnable pinBack = back;
        undo.push(() -> {
            first.forget();
            pinBack.run();
            mine.link().replace(cube.master().program(DataplaneLayout.ENTRY_PROGRAM));
            take(mine);
        });
    }

    private void restore(Held mine) {
        try {
            mine.link().replace(cube.master().program(DataplaneLayout.ENTRY_PROGRAM));
        } catch (BpfException e) {
            LOG.warn("{}: its program could not be put back on ifindex {}: {}", cube.name(), mine.ifindex(), e.getMessage());
        }
    }

    private static void moveBack(Held mine, java.nio.file.Path to) {
        try {
            mine.link().movePin(to);
        } catch (BpfException e) {
            LOG.warn("The pin of the attachment to ifindex {} could not move back to {}: {}", mine.ifindex(), to,
                e.getMessage());
        }
    }

    /** On a MASTER swap of the cube: the device runs {@code next}. */
    synchronized void replaceProgram(BpfProgram next, BpfProgram current, Undo undo) throws BpfException {
        if (held == null) {
            return;
        }
        BpfLink link = held.link();
        link.replace(next);
        undo.push(() -> link.replace(current));
    }

    /** Leaves the device now; the undo attaches again. */
    synchronized void detach(Undo undo) {
        if (held == null) {
            return;
        }
        Held was = held;
        close();
        undo.push(() -> attach(Integer.toString(was.ifindex()), was.ifindex(), was.egress(), new Undo()));
    }

    private synchronized void take(Held attachment) {
        held = attachment;
        claims.holdTransparent(attachment.ifindex(), stepAside);
    }

    private synchronized void forget() {
        if (held != null) {
            claims.releaseTransparent(held.ifindex(), stepAside);
        }
        held = null;
    }

    /**
     * Lets go of the attachment, leaving it attached and pinned for the next polycubed (see
     * CubeInstance.release); without pins it is detached.
     */
    synchronized void release() {
        if (held == null) {
            return;
        }
        if (cube.pins() == null) {
            close();
            return;
        }
        BpfLink link = held.link();
        forget();
        link.release();
    }

    @Override
    public synchronized void close() {
        if (held != null) {
            BpfLink link = held.link();
            forget();
            link.close();
        }
    }
}
