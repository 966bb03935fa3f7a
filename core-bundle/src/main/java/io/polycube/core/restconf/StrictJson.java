package io.polycube.core.restconf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 8259 / I-JSON parsing, strict where gson and yangtools are lenient: no single quotes, comments,
 * unquoted names or values, trailing data, duplicate member names; nesting bounded.
 */
final class StrictJson {
    /** Deeper bodies are refused before any of them is interpreted. */
    static final int MAX_DEPTH = 64;
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private StrictJson() {
    }

    static JsonElement parse(String body) throws RestconfException {
        JsonReader reader = new JsonReader(new StringReader(body));
        reader.setStrictness(Strictness.STRICT);
        try {
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                throw malformed("the body is empty");
            }
            JsonElement element = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw malformed("unexpected data after the JSON value" + at(reader.toString()));
            }
            return element;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw malformed("malformed JSON" + at(e.getMessage()));
        }
    }

    private static JsonElement read(JsonReader reader, int depth) throws IOException, RestconfException {
        JsonToken token = reader.peek();
        switch (token) {
            case BEGIN_OBJECT -> {
                checkDepth(depth, reader);
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = legal(reader.nextName(), reader);
                    if (object.has(name)) {
                        throw malformed("duplicate member name '" + name + "'" + at(reader.toString()));
                    }
                    object.add(name, read(reader, depth + 1));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                checkDepth(depth, reader);
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(read(reader, depth + 1));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(legal(reader.nextString(), reader));
            }
            case NUMBER -> {
                return new JsonPrimitive(new java.math.BigDecimal(reader.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw malformed("malformed JSON" + at(reader.toString()));
        }
    }

    /**
     * Every string in a RESTCONF body is a YANG value or name, and YANG strings exclude the C0 controls
     * but tab, CR and LF, surrogates and noncharacters (RFC 7950 §9.4); yangtools would store them.
     */
    private static String legal(String text, JsonReader reader) throws RestconfException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int code = text.codePointAt(i++);
                if ((code & 0xFFFE) != 0xFFFE) {
                    continue;
                }
            } else if (c >= 0x20 && !Character.isSurrogate(c) && c < 0xFFFE && (c < 0xFDD0 || c > 0xFDEF)
                    || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            throw RestconfException.badRequest("invalid-value", null, String.format(java.util.Locale.ROOT,
                "a string holds U+%04X, which YANG strings do not allow%s", (int) c, at(reader.toString())));
        }
        return text;
    }

    private static void checkDepth(int depth, JsonReader reader) throws RestconfException {
        if (depth >= MAX_DEPTH) {
            throw malformed("the body nests deeper than " + MAX_DEPTH + " levels" + at(reader.toString()));
        }
    }

    /** " at line L column C" from a gson message, without gson's advice to the programmer. */
    private static String at(String message) {
        Matcher m = POSITION.matcher(message == null ? "" : message);
        return m.find() ? " at line " + m.group(1) + " column " + m.group(2) : "";
    }

    private static RestconfException malformed(String message) {
        return RestconfException.badRequest("malformed-message", null, message);
    }
}
