package io.polycube.core.restconf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
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
        digest.update(node.name().toString().getBytes(StandardCharsets.UTF_8));
        if (node instanceof NormalizedNodeContainer<?> container) {
            digest.update((byte) '{');
            for (NormalizedNode child : container.body()) {
                update(digest, child);
            }
            digest.update((byte) '}');
        } else {
            Object value = node.body();
            String text = value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
            digest.update((byte) '=');
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ';');
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
