package io.polycube.core.restconf;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.EffectiveStatementInference;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * RFC 8040 {@code application/yang-data+xml} bodies on yangtools' XML codec. The StAX input is
 * hardened: no DTDs, no external entities, no entity expansion, nesting bounded.
 */
final class XmlBodies {
    static final boolean ENABLED = true;
    static final String RESTCONF_NS = "urn:ietf:params:xml:ns:yang:ietf-restconf";

    private static final XMLInputFactory INPUT = hardened();
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private XmlBodies() {
    }

    private static XMLInputFactory hardened() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** Parses one element, a child of the node whose inference is {@code parent} (null: the datastore root). */
    static NormalizedNode parse(EffectiveModelContext context, EffectiveStatementInference parent, String body)
            throws RestconfException {
        QName root = rootName(context, checkWellFormed(body));
        // yangtools' XML parser takes the inference of the element itself, not of its parent.
        SchemaInferenceStack stack = parent == null ? SchemaInferenceStack.of(context)
            : SchemaInferenceStack.ofInference(parent);
        try {
            stack.enterDataTree(root);
        } catch (IllegalArgumentException e) {
            throw RestconfException.badRequest("unknown-element", null, "unknown element '" + root.getLocalName() + "'");
        }
        NormalizationResultHolder holder = new NormalizationResultHolder();
        NormalizedNodeStreamWriter writer = ImmutableNormalizedNodeStreamWriter.from(holder);
        try (XmlParserStream parser = XmlParserStream.create(writer, stack.toInference())) {
            XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(body));
            parser.parse(reader);
        } catch (XMLStreamException | IOException | RuntimeException e) {
            String message = Errors.clean(e.getMessage());
            String tag = message.contains("not found") || message.contains("not present")
                || message.contains("unknown") ? "unknown-element" : Errors.tagFor(message);
            throw RestconfException.badRequest(tag, null, message);
        }
        NormalizedNode data = holder.getResult().data();
        if (data instanceof MapEntryNode entry) {
            return RestconfService.single(entry);
        }
        if (data instanceof LeafSetEntryNode<?> value) {
            return ImmutableNodes.newSystemLeafSetBuilder().withNodeIdentifier(NodeIdentifier.create(root))
                .withChild((LeafSetEntryNode) value).build();
        }
        return data;
    }

    private static QName rootName(EffectiveModelContext context, javax.xml.namespace.QName element)
            throws RestconfException {
        if (element.getNamespaceURI() == null || element.getNamespaceURI().isEmpty()) {
            throw RestconfException.badRequest("invalid-value", null, "the element '" + element.getLocalPart()
                + "' needs the namespace of its module (xmlns)");
        }
        XMLNamespace namespace;
        try {
            namespace = XMLNamespace.of(element.getNamespaceURI());
        } catch (IllegalArgumentException e) {
            throw unknownNamespace(element); // not even a URI
        }
        var module = context.findModuleStatements(namespace).stream().findFirst()
            .orElseThrow(() -> unknownNamespace(element));
        try {
            return QName.create(module.localQNameModule(), element.getLocalPart());
        } catch (IllegalArgumentException e) {
            throw RestconfException.badRequest("unknown-element", null, "unknown element '" + element.getLocalPart()
                + "'"); // not even a YANG identifier
        }
    }

    /** One pass over the text: well-formed, one root element, no DTD, nesting bounded. */
    private static javax.xml.namespace.QName checkWellFormed(String body) throws RestconfException {
        int depth = 0;
        int roots = 0;
        javax.xml.namespace.QName root = null;
        try {
            XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(body));
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> throw malformed(
                        "DTDs and entity references are not accepted");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (depth == 0) {
                            roots++;
                            root = reader.getName();
                        }
                        if (++depth > StrictJson.MAX_DEPTH) {
                            throw malformed("the body nests deeper than " + StrictJson.MAX_DEPTH + " levels");
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw malformed("malformed XML" + (e.getLocation() == null ? "" : " at line "
                + e.getLocation().getLineNumber() + " column " + e.getLocation().getColumnNumber()));
        }
        if (roots != 1) {
            throw malformed("the body must be exactly one XML element");
        }
        return root;
    }

    private static RestconfException unknownNamespace(javax.xml.namespace.QName element) {
        return RestconfException.badRequest("unknown-element", null, "unknown namespace '"
            + element.getNamespaceURI() + "'");
    }

    private static RestconfException malformed(String message) {
        return RestconfException.badRequest("malformed-message", null, message);
    }

    /** Writes {@code node}, a child of {@code parent} (null: the root). */
    static String write(EffectiveModelContext context, EffectiveStatementInference parent, NormalizedNode node) {
        return write(xml -> {
            NormalizedNodeStreamWriter stream = parent == null ? XMLStreamNormalizedNodeStreamWriter.create(xml, context)
                : XMLStreamNormalizedNodeStreamWriter.create(xml, parent);
            NormalizedNodeWriter.forStreamWriter(stream).write(node).flush();
        });
    }

    /** Writes the datastore as {@code <data xmlns="urn:ietf:params:xml:ns:yang:ietf-restconf">}. */
    static String writeRoot(EffectiveModelContext context, ContainerNode root) {
        return write(xml -> {
            xml.writeStartElement("", "data", RESTCONF_NS);
            xml.writeDefaultNamespace(RESTCONF_NS);
            NormalizedNodeWriter nodes = NormalizedNodeWriter.forStreamWriter(
                XMLStreamNormalizedNodeStreamWriter.create(xml, context));
            for (DataContainerChild child : root.body()) {
                nodes.write(child);
            }
            nodes.flush();
            xml.writeEndElement();
        });
    }

    /** An RFC 8040 §7.1 error report in XML. */
    static String error(RestconfException error) {
        return write(xml -> {
            xml.writeStartElement("", "errors", RESTCONF_NS);
            xml.writeDefaultNamespace(RESTCONF_NS);
            xml.writeStartElement(RESTCONF_NS, "error");
            element(xml, "error-type", error.errorType().name().toLowerCase(java.util.Locale.ROOT));
            element(xml, "error-tag", error.errorTag());
            if (error.errorPath().isPresent()) {
                element(xml, "error-path", error.errorPath().orElseThrow());
            }
            element(xml, "error-message", error.getMessage());
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(RESTCONF_NS, name);
        xml.writeCharacters(xmlText(text));
        xml.writeEndElement();
    }

    /** The text with every character XML 1.0 cannot carry (a message may quote a client's NUL) as U+FFFD. */
    static String xmlText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < 0xD800 || c >= 0xE000 && c < 0xFFFE) {
                out.append(c);
            } else {
                out.append('\uFFFD');
            }
        }
        return out.toString();
    }

    private interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException, IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out);
            body.write(xml);
            xml.flush();
            xml.close();
        } catch (XMLStreamException | IOException e) {
            throw new IllegalStateException("XML output failed: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
