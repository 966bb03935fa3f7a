package io.polycube.core.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What polycubed runs, read in one consistent step, for the framework model {@code pcn-polycubed}. */
@FunctionalInterface
public interface Topology {
    Topology EMPTY = () -> new Snapshot(List.of(), List.of(), List.of());

    Snapshot snapshot();

    /** An installed cube type; bundle and version are empty outside OSGi. */
    record CubeTypeInfo(String name, boolean transparent, String bundle, String bundleVersion) {
        public CubeTypeInfo {
            requireNonNull(name);
            requireNonNull(bundle);
            requireNonNull(bundleVersion);
        }
    }

    /** A port: its peer (netdev or {@code cube:port}) and whether it is attached/linked. */
    record PortInfo(String name, Optional<String> peer, boolean up) {
        public PortInfo {
            requireNonNull(name);
            requireNonNull(peer);
        }
    }

    /** Where a transparent cube sits. */
    record AttachmentInfo(String parent, boolean egress, String position) {
        public AttachmentInfo {
            requireNonNull(parent);
            requireNonNull(position);
        }
    }

    /** Whether an instance's cube type manages it. */
    enum CubeState {
        /** Its cube type runs its control plane. */
        RUNNING("running"),
        /** Its cube type left: the data path forwards on, unmanaged, until the type comes back. */
        ORPHANED("orphaned"),
        /** Its cube type came back in a version that could not take it over; the data path before forwards on. */
        UPGRADE_REFUSED("upgrade-refused");

        private final String yang;

        CubeState(String yang) {
            this.yang = yang;
        }

        /** The YANG enum. */
        public String yang() {
            return yang;
        }
    }

    /**
     * An instance of a cube type. {@code codeVersion}: the version of the bundle whose data path runs (empty
     * outside OSGi); {@code reason}: why an upgrade was refused.
     */
    record CubeInfo(String name, String type, String hook, boolean transparent, List<PortInfo> ports,
            Optional<AttachmentInfo> attachment, CubeState state, String codeVersion, Optional<String> reason) {
        public CubeInfo {
            requireNonNull(name);
            requireNonNull(type);
            requireNonNull(hook);
            ports = List.copyOf(ports);
            requireNonNull(attachment);
            requireNonNull(state);
            requireNonNull(codeVersion);
            requireNonNull(reason);
        }

        /** A running instance of code of no known version. */
        public CubeInfo(String name, String type, String hook, boolean transparent, List<PortInfo> ports,
                Optional<AttachmentInfo> attachment) {
            this(name, type, hook, transparent, ports, attachment, CubeState.RUNNING, "", Optional.empty());
        }
    }

    /**
     * The transparent cubes of one attachment point, in traversal order: a cube port ({@code cube},
     * {@code port}) or a netdev no cube port owns ({@code netdev}).
     */
    record ChainInfo(String cube, String port, Optional<String> netdev, boolean egress, List<String> members) {
        public ChainInfo {
            requireNonNull(cube);
            requireNonNull(port);
            requireNonNull(netdev);
            members = List.copyOf(members);
        }
    }

    /** Why a cube type did not come up. */
    enum FailureKind {
        /** Its component's activation threw: the type never reached polycubed. */
        ACTIVATION_FAILED("activation-failed"),
        /** Its component waits for a service that is not there. */
        UNSATISFIED("unsatisfied"),
        /** polycubed refused its registration (e.g. a YANG module that does not build). */
        REFUSED("refused");

        private final String yang;

        FailureKind(String yang) {
            this.yang = yang;
        }

        /** The YANG enum. */
        public String yang() {
            return yang;
        }
    }

    /** A cube type whose bundle is there but whose type is not: {@code component} is its DS component name. */
    record CubeTypeFailure(String component, String bundle, String bundleVersion, FailureKind kind, String reason) {
        public CubeTypeFailure {
            requireNonNull(component);
            requireNonNull(bundle);
            requireNonNull(bundleVersion);
            requireNonNull(kind);
            requireNonNull(reason);
        }
    }

    /** One consistent picture. */
    record Snapshot(List<CubeTypeInfo> types, List<CubeInfo> cubes, List<ChainInfo> chains,
            List<CubeTypeFailure> failures) {
        public Snapshot {
            types = List.copyOf(types);
            cubes = List.copyOf(cubes);
            chains = List.copyOf(chains);
            failures = List.copyOf(failures);
        }

        public Snapshot(List<CubeTypeInfo> types, List<CubeInfo> cubes, List<ChainInfo> chains) {
            this(types, cubes, chains, List.of());
        }

        public Snapshot withFailures(List<CubeTypeFailure> newFailures) {
            return new Snapshot(types, cubes, chains, newFailures);
        }
    }
}
