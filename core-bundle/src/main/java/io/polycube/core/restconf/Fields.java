package io.polycube.core.restconf;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * The RFC 8040 §4.8.3 {@code fields} expression, {@code a(b;c/d);e}, resolved against the target's
 * schema into a {@link Selection}. Names inherit the module of their parent; at the datastore root
 * they must be qualified.
 */
final class Fields {
    private static final Pattern IDENTIFIER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_.\\-]*)(?::([a-zA-Z_][a-zA-Z0-9_.\\-]*))?");

    /** The selected children of one node; {@code all} selects the whole node. */
    static final class Selection {
        final Map<QName, Selection> children = new LinkedHashMap<>();
        boolean all;
    }

    private final EffectiveModelContext context;
    private final String text;
    private int pos;

    private Fields(EffectiveModelContext context, String text) {
        this.context = context;
        this.text = text;
    }

    static Selection parse(EffectiveModelContext context, Object targetSchema, QNameModule targetModule,
            String expression) throws RestconfException {
        Fields parser = new Fields(context, expression);
        Selection root = new Selection();
        parser.expression(root, targetSchema, targetModule);
        if (parser.pos != expression.length()) {
            throw parser.error("unexpected '" + expression.charAt(parser.pos) + "'");
        }
        return root;
    }

    private void expression(Selection parent, Object schema, QNameModule module) throws RestconfException {
        while (true) {
            Selection current = parent;
            Object currentSchema = schema;
            QNameModule currentModule = module;
            while (true) {
                Matcher m = IDENTIFIER.matcher(text).region(pos, text.length());
                if (!m.lookingAt()) {
                    throw error("a node name is expected");
                }
                pos = m.end();
                String prefix = m.group(2) == null ? null : m.group(1);
                String local = m.group(2) == null ? m.group(1) : m.group(2);
                QNameModule ns = currentModule;
                if (prefix != null) {
                    Collection<? extends Module> modules = context.findModules(prefix);
                    if (modules.isEmpty()) {
                        throw error("unknown module '" + prefix + "'");
                    }
                    ns = modules.iterator().next().getQNameModule();
                }
                if (ns == null) {
                    throw error("'" + local + "' must be qualified with its module name");
                }
                DataSchemaNode child = find(currentSchema, QName.create(ns, local));
                if (child == null) {
                    throw error("no data node '" + local + "' here");
                }
                current = current.children.computeIfAbsent(child.getQName(), q -> new Selection());
                currentSchema = child;
                currentModule = ns;
                if (pos < text.length() && text.charAt(pos) == '/') {
                    pos++;
                    continue;
                }
                break;
            }
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                expression(current, currentSchema, currentModule);
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw error("')' is missing");
                }
                pos++;
            } else {
                current.all = true;
            }
            if (pos < text.length() && text.charAt(pos) == ';') {
                pos++;
                continue;
            }
            return;
        }
    }

    /** A data child, looking through choices and cases (they are not named in fields). */
    static DataSchemaNode find(Object schema, QName name) {
        if (!(schema instanceof DataNodeContainer container)) {
            return null;
        }
        for (DataSchemaNode child : container.getChildNodes()) {
            if (child instanceof ChoiceSchemaNode choice) {
                for (CaseSchemaNode caze : choice.getCases()) {
                    DataSchemaNode found = find(caze, name);
                    if (found != null) {
                        return found;
                    }
                }
            } else if (child.getQName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private RestconfException error(String message) {
        return RestconfException.badRequest("invalid-value", null, "bad fields parameter at position " + (pos + 1)
            + ": " + message);
    }
}
