package io.polycube.core.restconf;

import com.google.gson.JsonElement;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactory;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.codec.gson.JsonParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.EffectiveStatementInference;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;

/** RFC 7951 JSON bodies in and out, on yangtools' gson codec. */
final class JsonBodies {
    private JsonBodies() {
    }

    /**
     * Parses a request body holding one top-level member, a child of the node whose inference is
     * {@code parent} (null: the datastore root) and whose schema is {@code parentSchema}.
     */
    static NormalizedNode parse(EffectiveModelContext context, EffectiveStatementInference parent,
            Object parentSchema, String body) throws RestconfException {
        JsonElement tree = StrictJson.parse(body == null ? "" : body);
        if (!tree.isJsonObject() || tree.getAsJsonObject().size() != 1) {
            throw RestconfException.badRequest("malformed-message", null,
                "the body must be a JSON object with exactly one member");
        }
        JsonShape.check(context, parentSchema, tree.getAsJsonObject());
        JSONCodecFactory codecs = JSONCodecFactorySupplier.RFC7951.getShared(context);
        NormalizationResultHolder holder = new NormalizationResultHolder();
        NormalizedNodeStreamWriter writer = ImmutableNormalizedNodeStreamWriter.from(holder);
        JsonReader reader = new JsonReader(new StringReader(body));
        try (JsonParserStream parser = parent == null ? JsonParserStream.create(writer, codecs)
                : JsonParserStream.create(writer, codecs, parent)) {
            parser.parse(reader);
        } catch (IOException | RuntimeException e) {
            // yangtools names the value, not the leaf: the reader knows where it stopped
            String message = Errors.clean(e.getMessage()) + where(reader);
            String tag = message.contains("not found") || message.contains("not present") ? "unknown-element"
                : Errors.tagFor(message);
            throw RestconfException.badRequest(tag, null, message);
        }
        NormalizedNode data = holder.getResult().data();
        // Parsed at the root, yangtools returns the datastore container; unwrap its single child.
        if (parent == null && data instanceof ContainerNode root && root.size() == 1
                && root.name().getNodeType().equals(SchemaContext.NAME)) {
            return root.body().iterator().next();
        }
        return data;
    }

    /** " (at member[0].leaf)", where the body's reader was when the parse failed; "" at the top. */
    private static String where(JsonReader reader) {
        String path = reader.getPath();
        return path == null || path.length() <= 2 ? "" : " (at " + path.substring(2) + ")";
    }

    /** Writes {@code node} (a child of {@code parent}, null: root) as {@code {"module:name": ...}}. */
    static String write(EffectiveModelContext context, EffectiveStatementInference parent, NormalizedNode node) {
        return write(context, writer -> {
            NormalizedNodeStreamWriter stream = streamWriter(context, parent, writer);
            NormalizedNodeWriter.forStreamWriter(stream).write(node).flush();
        });
    }

    /** Writes the datastore root as {@code {"ietf-restconf:data": {...}}}. */
    static String writeRoot(EffectiveModelContext context, ContainerNode root) {
        return write(context, writer -> {
            writer.name("ietf-restconf:data").beginObject();
            NormalizedNodeStreamWriter stream = streamWriter(context, null, writer);
            NormalizedNodeWriter nodes = NormalizedNodeWriter.forStreamWriter(stream);
            for (DataContainerChild child : root.body()) {
                nodes.write(child);
            }
            nodes.flush();
            writer.endObject();
        });
    }

    private interface Body {
        void write(JsonWriter writer) throws IOException;
    }

    private static String write(EffectiveModelContext context, Body body) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.beginObject();
            body.write(writer);
            writer.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static NormalizedNodeStreamWriter streamWriter(EffectiveModelContext context,
            EffectiveStatementInference parent, JsonWriter writer) {
        JSONCodecFactory codecs = JSONCodecFactorySupplier.RFC7951.getShared(context);
        return parent == null ? JSONNormalizedNodeStreamWriter.createNestedWriter(codecs, writer)
            : JSONNormalizedNodeStreamWriter.createNestedWriter(codecs, parent, null, writer);
    }
}
