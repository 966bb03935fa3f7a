package io.polycube.core.restconf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodeContainer;

/**
 * Strong entity tags (RFC 8040 §3.4.1.2) from the content of a resource's configuration: a digest
 * of the subtree, so the tag changes exactly when the resource or a descendant changes and never
 * because another resource did.
 */
final class EntityTags {
    private EntityTags() {
    }

    static String of(NormalizedNode node) {
        MessageDigest digest = sha256();
        update(digest, node);
        return '"' + HexFormat.of().formatHex(digest.digest(), 0, 16) + '"';
    }

    private static void update(MessageDigest digest, NormalizedNode node) {
        name(digest, node.name());
        if (node instanceof NormalizedNodeContainer<?> container) {
            digest.update((byte) '{');
            for (NormalizedNode child : container.body()) {
                update(digest, child);
            }
            digest.update((byte) '}');
        } else {
            digest.update((byte) '=');
            digest.update(text(node.body()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ';');
        }
    }

    /**
     * The node's name: namespace and local name, then key or leaf-list values. Not {@code toString()}, which
     * formats revisions and maps for people and cost most of the digest of a large list.
     */
    private static void name(MessageDigest digest, PathArgument name) {
        QName type = name.getNodeType();
        digest.update(type.getNamespace().toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) ' ');
        digest.update(type.getLocalName().getBytes(StandardCharsets.UTF_8));
        if (name instanceof NodeIdentifierWithPredicates keyed) {
            for (Map.Entry<QName, Object> key : keyed.entrySet()) {
                digest.update((byte) '[');
                digest.update(key.getKey().getLocalName().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '=');
                digest.update(text(key.getValue()).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) ']');
            }
        } else if (name instanceof NodeWithValue<?> entry) {
            digest.update((byte) '[');
            digest.update(text(entry.getValue()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ']');
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
