package io.polycube.core.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.EffectiveStatementEquivalent;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.meta.EffectiveStatement;
import org.opendaylight.yangtools.yang.model.api.meta.ModelStatement;
import org.opendaylight.yangtools.yang.model.api.type.BooleanTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.EnumTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int64TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int8TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint64TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint8TypeDefinition;

/**
 * The tables a cube type's YANG module declares: each list (a child of the cube's top-level list)
 * carrying {@code base:map "<map>"}, with its leaves' types. Read once per registration; immutable.
 */
public final class TableSchema {
    public static final TableSchema NONE = new TableSchema(List.of());

    static final XMLNamespace BASE = XMLNamespace.of("urn:polycube:base");
    private static final QName MAP = QName.create(BASE, "map");
    private static final QName FIELD = QName.create(BASE, "field");
    private static final XMLNamespace INET = XMLNamespace.of("urn:ietf:params:xml:ns:yang:ietf-inet-types");
    private static final XMLNamespace YANG_TYPES = XMLNamespace.of("urn:ietf:params:xml:ns:yang:ietf-yang-types");

    private final List<ListSpec> lists;

    TableSchema(List<ListSpec> lists) {
        this.lists = List.copyOf(lists);
    }

    List<ListSpec> lists() {
        return lists;
    }

    public boolean isEmpty() {
        return lists.isEmpty();
    }

    /** Names of the bound maps. */
    public List<String> maps() {
        return lists.stream().map(ListSpec::map).toList();
    }

    /**
     * Reads the bindings of the cube type {@code cubeType} (top-level list of that name).
     *
     * @throws TableException when a bound list has a leaf of a type no C field can hold
     */
    public static TableSchema of(EffectiveModelContext context, String cubeType) throws TableException {
        Optional<ListSchemaNode> cube = context.getChildNodes().stream()
            .filter(n -> n instanceof ListSchemaNode && n.getQName().getLocalName().equals(cubeType))
            .map(ListSchemaNode.class::cast).findFirst();
        if (cube.isEmpty()) {
            return NONE;
        }
        List<ListSpec> lists = new ArrayList<>();
        for (DataSchemaNode child : cube.get().getChildNodes()) {
            if (child instanceof ListSchemaNode list) {
                Optional<String> map = argument(list, MAP);
                if (map.isPresent()) {
                    lists.add(listSpec(list, map.get()));
                }
            }
        }
        return new TableSchema(lists);
    }

    private static ListSpec listSpec(ListSchemaNode list, String map) throws TableException {
        String where = "list " + list.getQName().getLocalName() + " (base:map " + map + ")";
        Map<QName, LeafSpec> leaves = new LinkedHashMap<>();
        for (DataSchemaNode child : list.getChildNodes()) {
            if (!(child instanceof LeafSchemaNode leaf)) {
                throw new TableException(where + ": " + child.getQName().getLocalName()
                    + " is not a leaf; a bound list holds leaves only");
            }
            leaves.put(leaf.getQName(), leafSpec(where, leaf));
        }
        List<LeafSpec> keys = new ArrayList<>();
        for (QName key : list.getKeyDefinition()) {
            keys.add(leaves.remove(key));
        }
        if (keys.isEmpty()) {
            throw new TableException(where + ": a bound list needs a key");
        }
        return new ListSpec(list.getQName().getLocalName(), map, list.isConfiguration(), keys,
            List.copyOf(leaves.values()));
    }

    private static LeafSpec leafSpec(String where, LeafSchemaNode leaf) throws TableException {
        String name = leaf.getQName().getLocalName();
        String field = argument(leaf, FIELD).orElse(name.replace('-', '_'));
        Map<String, Integer> enums = new LinkedHashMap<>();
        LeafKind kind = kindOf(leaf.getType(), enums);
        if (kind == null) {
            throw new TableException(where + ": leaf " + name + " has a type with no C layout ("
                + leaf.getType().getQName().getLocalName() + "); supported: uint8..64, int8..64, boolean,"
                + " enumeration, leafref to ports/name, inet:ipv4/ipv6-address, inet:ipv4/ipv6-prefix, yang:mac-address");
        }
        return new LeafSpec(name, field, kind, enums, leaf.isConfiguration());
    }

    private static LeafKind kindOf(TypeDefinition<?> type, Map<String, Integer> enums) {
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            QName q = t.getQName();
            String local = q.getLocalName();
            if (q.getNamespace().equals(INET)) {
                switch (local) {
                    case "ipv4-address", "ipv4-address-no-zone": return LeafKind.IPV4;
                    case "ipv6-address", "ipv6-address-no-zone": return LeafKind.IPV6;
                    case "ipv4-prefix": return LeafKind.IPV4_PREFIX;
                    case "ipv6-prefix": return LeafKind.IPV6_PREFIX;
                    default: break;
                }
            }
            if (q.getNamespace().equals(YANG_TYPES) && local.equals("mac-address")) {
                return LeafKind.MAC;
            }
        }
        if (type instanceof Uint8TypeDefinition) {
            return LeafKind.UINT8;
        } else if (type instanceof Uint16TypeDefinition) {
            return LeafKind.UINT16;
        } else if (type instanceof Uint32TypeDefinition) {
            return LeafKind.UINT32;
        } else if (type instanceof Uint64TypeDefinition) {
            return LeafKind.UINT64;
        } else if (type instanceof Int8TypeDefinition) {
            return LeafKind.INT8;
        } else if (type instanceof Int16TypeDefinition) {
            return LeafKind.INT16;
        } else if (type instanceof Int32TypeDefinition) {
            return LeafKind.INT32;
        } else if (type instanceof Int64TypeDefinition) {
            return LeafKind.INT64;
        } else if (type instanceof BooleanTypeDefinition) {
            return LeafKind.BOOLEAN;
        } else if (type instanceof EnumTypeDefinition e) {
            e.getValues().forEach(pair -> enums.put(pair.getName(), pair.getValue()));
            return LeafKind.ENUMERATION;
        } else if (type instanceof LeafrefTypeDefinition ref && isPortRef(ref)) {
            return LeafKind.PORT;
        }
        return null;
    }

    /** A leafref to the cube's ports ({@code ../../ports/name}, prefixes ignored). */
    private static boolean isPortRef(LeafrefTypeDefinition ref) {
        String path = ref.getPathStatement().getOriginalString().replaceAll("[A-Za-z0-9_.\\-]+:", "").trim();
        return path.matches("(\\.\\./)+ports/name");
    }

    /** The argument of an extension statement ({@code base:map}, {@code base:field}) directly inside a node. */
    private static Optional<String> argument(DataSchemaNode node, QName extension) {
        if (!(node instanceof EffectiveStatementEquivalent<?> equivalent)) {
            return Optional.empty();
        }
        EffectiveStatement<?, ?> statement = equivalent.asEffectiveStatement();
        // yangtools 13 keeps an extension it has no support for only among the declared substatements.
        List<ModelStatement<?>> subs = new ArrayList<>(statement.effectiveSubstatements());
        if (statement.getDeclared() != null) {
            subs.addAll(statement.getDeclared().declaredSubstatements());
        }
        for (ModelStatement<?> sub : subs) {
            QName name = sub.statementDefinition().getStatementName();
            // The statement's QName carries pcn-base's revision: compare namespace and name only.
            if (name.getNamespace().equals(extension.getNamespace())
                    && name.getLocalName().equals(extension.getLocalName()) && sub.argument() != null) {
                return Optional.of(sub.argument().toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "TableSchema" + lists;
    }
}
