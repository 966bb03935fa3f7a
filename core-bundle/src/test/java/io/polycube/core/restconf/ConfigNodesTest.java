package io.polycube.core.restconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.polycube.core.spi.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;

class ConfigNodesTest {
    private static ConfigNode leaves(Map<String, String> leaves) {
        return ConfigNode.of(leaves, Map.of(), Map.of(), Map.of());
    }

    private static ListSchemaNode list(EffectiveModelContext context, String namespace, String name) {
        return (ListSchemaNode) context.getDataChildByName(QName.create(namespace, "2026-11-27", name));
    }

    @Test
    void simplefwdRoundTripWithDefaults() throws Exception {
        EffectiveModelContext context = TestModels.context();
        ListSchemaNode simplefwd = list(context, "urn:polycube:simplefwd", "simplefwd");
        ConfigNode node = ConfigNode.of(Map.of("name", "fwd1", "type", "XDP_DRV", "loglevel", "INFO"), Map.of(), Map.of(), Map.of(
            "ports", List.of(leaves(Map.of("name", "p1", "peer", "veth1")), leaves(Map.of("name", "p2"))),
            "actions", List.of(leaves(Map.of("inport", "p1", "action", "FORWARD", "outport", "p2")),
                leaves(Map.of("inport", "p2", "action", "DROP")))));
        NodeIdentifierWithPredicates id = NodeIdentifierWithPredicates.of(simplefwd.getQName(),
            QName.create(simplefwd.getQName(), "name"), "fwd1");
        MapEntryNode entry = ConfigNodes.toMapEntry(context, simplefwd, id, node);
        assertEquals(node, ConfigNodes.toConfigNode(context, simplefwd, entry));

        // Absent leaves come back with their YANG defaults.
        ConfigNode sparse = ConfigNode.of(Map.of("name", "fwd1"), Map.of(), Map.of(), Map.of(
            "ports", List.of(leaves(Map.of("name", "p1"))), "actions", List.of(leaves(Map.of("inport", "p1")))));
        ConfigNode effective = ConfigNodes.toConfigNode(context, simplefwd,
            ConfigNodes.toMapEntry(context, simplefwd, id, sparse));
        assertEquals(Optional.of("TC"), effective.leaf("type"));
        assertEquals(Optional.of("DROP"), effective.list("actions").get(0).leaf("action"));
    }

    @Test
    void aLaterVersionReusesTheConversionsOfTheNodesItShares() throws Exception {
        EffectiveModelContext context = TestModels.context();
        ListSchemaNode simplefwd = list(context, "urn:polycube:simplefwd", "simplefwd");
        NodeIdentifierWithPredicates id = NodeIdentifierWithPredicates.of(simplefwd.getQName(),
            QName.create(simplefwd.getQName(), "name"), "fwd1");
        List<ConfigNode> ports = List.of(leaves(Map.of("name", "p1")), leaves(Map.of("name", "p2")));
        MapEntryNode first = ConfigNodes.toMapEntry(context, simplefwd, id, ConfigNode.of(Map.of("name", "fwd1"),
            Map.of(), Map.of(), Map.of("ports", ports, "actions", List.of(leaves(Map.of("inport", "p1"))))));
        MapEntryNode other = ConfigNodes.toMapEntry(context, simplefwd, id, ConfigNode.of(Map.of("name", "fwd1"),
            Map.of(), Map.of(), Map.of("ports", ports, "actions", List.of(leaves(Map.of("inport", "p2",
                "action", "FORWARD", "outport", "p1"))))));
        // The second version shares every node of the first but its actions, as a DataTree's next version does.
        var builder = org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newMapEntryBuilder()
            .withNodeIdentifier(id);
        first.body().forEach(child -> builder.withChild(child.name().getNodeType().getLocalName().equals("actions")
            ? other.childByArg(child.name()) : child));
        MapEntryNode second = builder.build();

        Map<org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode, ConfigNodes.Converted> seen =
            new java.util.IdentityHashMap<>();
        ConfigNode before = ConfigNodes.toConfigNode(context, simplefwd, first, Map.of(), seen);
        ConfigNode after = ConfigNodes.toConfigNode(context, simplefwd, second, seen, new java.util.IdentityHashMap<>());

        assertEquals(ConfigNodes.toConfigNode(context, simplefwd, second), after);
        assertEquals(Optional.of("p2"), after.list("actions").get(0).leaf("inport"));
        for (int i = 0; i < 2; i++) {
            org.junit.jupiter.api.Assertions.assertSame(before.list("ports").get(i), after.list("ports").get(i));
        }
    }

    @Test
    void canonicalValuesChoicesAndMultiKeys() throws Exception {
        EffectiveModelContext context = TestModels.context();
        ListSchemaNode testkeys = list(context, "urn:polycube:testkeys", "testkeys");
        ConfigNode node = ConfigNode.of(Map.of("name", "t1", "type", "TC", "loglevel", "INFO", "mtu", "9000", "enabled", "true",
                "address", "10.1.2.3", "color", "pcn-testkeys:red", "b-value", "-7"), Map.of(),
            Map.of("limits", leaves(Map.of("max", "4294967295"))),
            Map.of("routes", List.of(leaves(Map.of("prefix", "10.0.0.0", "len", "8", "via", "x")))));
        NodeIdentifierWithPredicates id = NodeIdentifierWithPredicates.of(testkeys.getQName(),
            QName.create(testkeys.getQName(), "name"), "t1");
        assertEquals(node, ConfigNodes.toConfigNode(context, testkeys, ConfigNodes.toMapEntry(context, testkeys, id,
            node)));
    }

    @Test
    void stateThatDoesNotFitIsRefused() throws Exception {
        EffectiveModelContext context = TestModels.context();
        ListSchemaNode simplefwd = list(context, "urn:polycube:simplefwd", "simplefwd");
        NodeIdentifierWithPredicates id = NodeIdentifierWithPredicates.of(simplefwd.getQName(),
            QName.create(simplefwd.getQName(), "name"), "fwd1");
        ConfigNode bad = ConfigNode.of(Map.of(), Map.of(), Map.of(), Map.of(
            "ports", List.of(leaves(Map.of("name", "p1", "status", "SIDEWAYS")))));
        RestconfException error = assertThrows(RestconfException.class,
            () -> ConfigNodes.toMapEntry(context, simplefwd, id, bad));
        assertEquals(500, error.status());
    }
}
