package io.polycube.bench;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfObject;
import java.nio.file.Path;

/**
 * The simplefwd cube's compiled data path (cube-bundles/simplefwd/target/classes/bpf), loaded
 * and wired as the core wires a two-port instance (core Ports/DataplaneLayout, SimpleFwd): port 0
 * "in" on {@code dutIn}, port 1 "out" on {@code dutOut}, each port's pcn_link program attached to its
 * peer (XDP driver mode or TC ingress), {@code actions[0] = FORWARD to port 1} ({@link SimpleFwdWiring}).
 */
final class SimpleFwdDut extends TwoPortCubeDut {
    SimpleFwdDut(Hook hook, Path objectDir) {
        super("simplefwd", hook, objectDir);
    }

    @Override
    void configure(BpfObject object) throws BpfException {
        SimpleFwdWiring.forwardPort0To1(object);
    }
}
