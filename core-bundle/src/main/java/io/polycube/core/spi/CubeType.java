package io.polycube.core.spi;

import java.net.URL;

/**
 * A network function type. A cube bundle registers one as an OSGi service; the core reads its YANG
 * module, serves it over RESTCONF and creates instances of it.
 */
public interface CubeType {

    /** The service name, e.g. {@code simplefwd}; its YANG module is {@code pcn-<name>}. */
    String name();

    /**
     * The cube's YANG module (uses the {@code pcn-base} groupings in a top-level list named
     * {@link #name()}). Default: {@code /yang/pcn-<name>.yang} in the cube's bundle, where the
     * cube-bundles build puts it.
     */
    default URL yangModule() {
        return getClass().getResource("/yang/pcn-" + name() + ".yang");
    }

    /**
     * Whether the cube is transparent: no ports; its instances sit on a cube port or a netdev
     * (YANG grouping {@code transparent-attachment}) and its data path is built with
     * {@code -DPCN_TRANSPARENT}.
     */
    default boolean transparent() {
        return false;
    }

    /**
     * The compiled data path for the given hook, an eBPF ELF object built from the cube's
     * {@code .bpf.c}. Default: {@code /bpf/<name>.xdp.o} or {@code /bpf/<name>.tc.o} in the cube's
     * bundle, where the cube-bundles build puts them.
     */
    default URL dataplane(HookType hook) {
        return getClass().getResource("/bpf/" + name() + (hook.isXdp() ? ".xdp.o" : ".tc.o"));
    }

    /**
     * Creates the control plane of a new instance whose data path the core has already loaded and
     * attached. The first {@link CubeControl#configure} call follows at once. Default: no Java at all,
     * for a cube whose YANG lists bound to maps ({@code base:map}, which the core keeps in step before
     * {@code configure}) are its whole control plane.
     */
    default CubeControl create(CubeContext context) throws CubeException {
        return new CubeControl() { };
    }
}
