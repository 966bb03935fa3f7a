package io.polycube.core.model;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.polycube.core.restconf.ComputedData;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * The state data of {@code pcn-polycubed:polycubed}: cube types (with bundle and YANG module), every
 * instance with its ports (peer, status, transparent cubes in order) or, for a transparent cube, its
 * attachment, and the netdevs in use with what holds each.
 */
public final class FrameworkModel implements ComputedData {
    public static final String MODULE = "pcn-polycubed";

    private final Topology topology;

    public FrameworkModel(Topology topology) {
        this.topology = requireNonNull(topology);
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public JsonObject read(EffectiveModelContext context) {
        Topology.Snapshot snapshot = topology.snapshot();
        JsonObject top = new JsonObject();
        JsonObject polycubed = new JsonObject();
        polycubed.add("cube-type", types(context, snapshot));
        if (!snapshot.failures().isEmpty()) {
            polycubed.add("cube-type-failure", failures(snapshot));
        }
        polycubed.add("cube", cubes(snapshot));
        polycubed.add("netdev", netdevs(snapshot));
        top.add(MODULE + ":polycubed", polycubed);
        return top;
    }

    private static JsonArray types(EffectiveModelContext context, Topology.Snapshot snapshot) {
        JsonArray list = new JsonArray();
        for (Topology.CubeTypeInfo type : snapshot.types()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", type.name());
            entry.addProperty("transparent", type.transparent());
            if (!type.bundle().isEmpty()) {
                entry.addProperty("bundle", type.bundle());
                entry.addProperty("bundle-version", type.bundleVersion());
            }
            String moduleName = "pcn-" + type.name();
            entry.addProperty("module", moduleName);
            context.findModules(moduleName).stream().findFirst().flatMap(Module::getRevision)
                .ifPresent(revision -> entry.addProperty("revision", revision.toString()));
            list.add(entry);
        }
        return list;
    }

    private static JsonArray failures(Topology.Snapshot snapshot) {
        JsonArray list = new JsonArray();
        for (Topology.CubeTypeFailure failure : snapshot.failures()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("component", failure.component());
            if (!failure.bundle().isEmpty()) {
                entry.addProperty("bundle", failure.bundle());
                entry.addProperty("bundle-version", failure.bundleVersion());
            }
            entry.addProperty("state", failure.kind().yang());
            entry.addProperty("reason", failure.reason());
            list.add(entry);
        }
        return list;
    }

    private static JsonArray cubes(Topology.Snapshot snapshot) {
        JsonArray list = new JsonArray();
        for (Topology.CubeInfo cube : snapshot.cubes()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", cube.name());
            entry.addProperty("type", cube.type());
            entry.addProperty("hook", cube.hook());
            entry.addProperty("transparent", cube.transparent());
            entry.addProperty("state", cube.state().yang());
            if (!cube.codeVersion().isEmpty()) {
                entry.addProperty("code-version", cube.codeVersion());
            }
            cube.reason().ifPresent(reason -> entry.addProperty("reason", reason));
            cube.attachment().ifPresent(a -> {
                JsonObject attachment = new JsonObject();
                attachment.addProperty("parent", a.parent());
                attachment.addProperty("direction", a.egress() ? "EGRESS" : "INGRESS");
                attachment.addProperty("position", a.position());
                entry.add("attachment", attachment);
            });
            if (!cube.ports().isEmpty()) {
                JsonArray ports = new JsonArray();
                for (Topology.PortInfo port : cube.ports()) {
                    JsonObject p = new JsonObject();
                    p.addProperty("name", port.name());
                    port.peer().ifPresent(peer -> p.addProperty("peer", peer));
                    p.addProperty("status", port.up() ? "UP" : "DOWN");
                    addChains(p, snapshot.chains().stream()
                        .filter(c -> c.netdev().isEmpty() && c.cube().equals(cube.name()) && c.port().equals(port.name()))
                        .toList());
                    ports.add(p);
                }
                entry.add("port", ports);
            }
            list.add(entry);
        }
        return list;
    }

    /** Netdevs that are a port's peer (held by the port) or carry transparent cubes no port owns. */
    private static JsonArray netdevs(Topology.Snapshot snapshot) {
        Map<String, JsonObject> byName = new TreeMap<>();
        for (Topology.CubeInfo cube : snapshot.cubes()) {
            for (Topology.PortInfo port : cube.ports()) {
                port.peer().filter(peer -> peer.indexOf(':') < 0).ifPresent(device -> {
                    JsonObject entry = netdev(byName, device);
                    entry.addProperty("held-by", cube.name() + ":" + port.name());
                    entry.addProperty("holder-kind", "port");
                });
            }
        }
        for (Topology.ChainInfo chain : snapshot.chains()) {
            if (chain.netdev().isPresent() && !chain.members().isEmpty()) {
                JsonObject entry = netdev(byName, chain.netdev().get());
                if (!entry.has("held-by")) {
                    entry.addProperty("held-by", chain.members().get(0));
                    entry.addProperty("holder-kind", "transparent");
                }
            }
        }
        JsonArray list = new JsonArray();
        byName.forEach((device, entry) -> {
            addChains(entry, snapshot.chains().stream().filter(c -> c.netdev().equals(java.util.Optional.of(device)))
                .toList());
            list.add(entry);
        });
        return list;
    }

    private static JsonObject netdev(Map<String, JsonObject> byName, String device) {
        return byName.computeIfAbsent(device, d -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", d);
            return entry;
        });
    }

    private static void addChains(JsonObject parent, List<Topology.ChainInfo> chains) {
        JsonArray list = new JsonArray();
        for (Topology.ChainInfo chain : chains) {
            for (int i = 0; i < chain.members().size(); i++) {
                JsonObject entry = new JsonObject();
                entry.addProperty("direction", chain.egress() ? "EGRESS" : "INGRESS");
                entry.addProperty("order", i);
                entry.addProperty("cube", chain.members().get(i));
                list.add(entry);
            }
        }
        if (!list.isEmpty()) {
            parent.add("transparent-cube", list);
        }
    }
}
