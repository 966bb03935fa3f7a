package io.polycube.core.impl;

import io.polycube.core.model.Topology;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Reads the live instances into a {@link Topology.Snapshot}; called under the instance manager's lock. */
final class TopologyView {
    private TopologyView() {
    }

    static Topology.Snapshot of(Collection<CubeType> types, Map<String, CubeInstance> instances) {
        List<Topology.CubeTypeInfo> typeInfos = new ArrayList<>();
        for (CubeType type : types) {
            Bundle bundle = FrameworkUtil.getBundle(type.getClass());
            typeInfos.add(new Topology.CubeTypeInfo(type.name(), type.transparent(),
                bundle == null ? "" : bundle.getSymbolicName(), CubeInstance.versionOf(type)));
        }
        typeInfos.sort(java.util.Comparator.comparing(Topology.CubeTypeInfo::name));
        List<Topology.CubeInfo> cubes = new ArrayList<>();
        for (CubeInstance instance : instances.values()) {
            List<Topology.PortInfo> ports = new ArrayList<>();
            if (!instance.transparent()) {
                for (PortBinding binding : instance.ports().bindings()) {
                    ports.add(new Topology.PortInfo(binding.name(), binding.peer().map(Peer::toString),
                        binding.link().isPresent() || instance.ports().cubeLinked(binding.name())));
                }
            }
            Optional<Topology.AttachmentInfo> attachment = instance.attachment().map(a -> new Topology.AttachmentInfo(
                a.parent().toString(), a.egress(), a.position().kind()
                    + a.position().relativeTo().map(x -> " " + x).orElse("")));
            Optional<String> refused = instance.upgradeRefused();
            Topology.CubeState state = !instance.orphaned() ? Topology.CubeState.RUNNING
                : refused.isPresent() ? Topology.CubeState.UPGRADE_REFUSED : Topology.CubeState.ORPHANED;
            cubes.add(new Topology.CubeInfo(instance.name(), instance.typeName(), instance.hook().name(),
                instance.transparent(), ports, attachment, state, instance.codeVersion(), refused));
        }
        List<Topology.ChainInfo> chains = new ArrayList<>();
        try {
            for (TransparentChains.Chain chain : TransparentChains.of(instances.values(), instances).chains()) {
                chains.add(new Topology.ChainInfo(chain.cube(), chain.port(), chain.netdev(), chain.egress(),
                    chain.members().stream().map(CubeInstance::name).toList()));
            }
        } catch (CubeException e) {
            // Only a change being applied can be inconsistent; a committed topology always orders.
        }
        return new Topology.Snapshot(typeInfos, cubes, chains);
    }
}
