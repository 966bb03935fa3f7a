package io.polycube.core.restconf;

import java.util.Set;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;

/**
 * Which HTTP methods a resource supports (its {@code Allow}), RFC 7231 §4 / §6.5.5 / §6.6.2: a
 * method this server does not know (names are case-sensitive) is 501, a known one the resource does
 * not support 405 with an {@code Allow} that never lists it.
 */
final class Methods {
    static final Set<String> KNOWN = Set.of("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE", "TRACE",
        "CONNECT");
    static final Set<String> WRITES = Set.of("PUT", "POST", "PATCH", "DELETE");
    static final String READ_ONLY = "GET, HEAD, OPTIONS";
    static final String ACCEPT_PATCH = String.join(", ", MediaTypes.YANG_DATA_JSON, "application/json",
        MediaTypes.YANG_PATCH_JSON)
        + (XmlBodies.ENABLED ? ", " + MediaTypes.YANG_DATA_XML : "");
    private static final String DATASTORE = "GET, HEAD, OPTIONS, PUT, POST, PATCH";
    private static final String LEAF = "GET, HEAD, OPTIONS, PUT, PATCH, DELETE";
    private static final String LIST = "GET, HEAD, OPTIONS, PUT, PATCH, DELETE";
    private static final String NODE = "GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE";

    private Methods() {
    }

    static String allowed(ApiPath target) {
        if (target.isRoot()) {
            return DATASTORE;
        }
        if (target.schema() instanceof DataSchemaNode node && !node.isConfiguration() || isKeyLeaf(target)) {
            return READ_ONLY;
        }
        if (target.isWholeList() || target.self() == null) {
            return target.isWholeList() ? LIST : LEAF;
        }
        return NODE;
    }

    /** True for a key leaf of a list entry (it lives and dies with its entry). */
    static boolean isKeyLeaf(ApiPath target) {
        var args = target.path().getPathArguments();
        if (!(target.schema() instanceof LeafSchemaNode leaf) || args.size() < 2) {
            return false;
        }
        PathArgument parent = args.get(args.size() - 2);
        return parent instanceof NodeIdentifierWithPredicates entry && entry.keySet().contains(leaf.getQName());
    }

    static void require(String method, String allow) throws RestconfException {
        if (!listed(allow, method)) {
            throw new RestconfException(405, RestconfException.ErrorType.PROTOCOL, "operation-not-supported", null,
                "method " + method + " is not allowed on this resource", allow);
        }
    }

    /** True if the comma-separated {@code allow} names {@code method} (no regex: this runs on every request). */
    private static boolean listed(String allow, String method) {
        int from = 0;
        while (from <= allow.length()) {
            int comma = allow.indexOf(',', from);
            int end = comma < 0 ? allow.length() : comma;
            if (allow.substring(from, end).trim().equals(method)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
        return false;
    }

    /** A method name safe to print back (no control characters, bounded). */
    static String printable(String method) {
        String text = method.replaceAll("[^\\x21-\\x7e]", "?");
        return text.length() > 20 ? text.substring(0, 20) + "..." : text;
    }
}
