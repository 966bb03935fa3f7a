package io.polycube.core.shell;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.BooleanTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.EmptyTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.EnumTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Int8TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint16TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint32TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.Uint8TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.UnionTypeDefinition;

/**
 * Console text to RFC 7951 JSON values, by the leaf's YANG type: 8/16/32-bit integers become JSON
 * numbers, booleans JSON booleans, {@code empty} {@code [null]}; everything else (64-bit numbers,
 * decimal64, enums, strings, addresses) stays a string, as RFC 7951 encodes them. A word that does not
 * fit the type is sent as a string and the server refuses it with its own message.
 */
final class Values {
    private Values() {
    }

    static JsonElement json(TypeDefinition<?> type, String text) {
        if (type instanceof UnionTypeDefinition union) {
            for (TypeDefinition<?> member : union.getTypes()) {
                JsonElement value = json(member, text);
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    return value;
                }
            }
            return new JsonPrimitive(text);
        }
        if (isSmallInteger(type) && text.matches("[+-]?\\d{1,20}")) {
            return new JsonPrimitive(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
        }
        if (type instanceof BooleanTypeDefinition && (text.equals("true") || text.equals("false"))) {
            return new JsonPrimitive(Boolean.parseBoolean(text));
        }
        if (type instanceof EmptyTypeDefinition) {
            JsonArray empty = new JsonArray();
            empty.add(JsonNull.INSTANCE);
            return empty;
        }
        return new JsonPrimitive(text);
    }

    private static boolean isSmallInteger(TypeDefinition<?> type) {
        return type instanceof Int8TypeDefinition || type instanceof Int16TypeDefinition
            || type instanceof Int32TypeDefinition || type instanceof Uint8TypeDefinition
            || type instanceof Uint16TypeDefinition || type instanceof Uint32TypeDefinition;
    }

    /** The words a value of this type may be, when the type lists them (enumerations, booleans; unions of them). */
    static List<String> choices(TypeDefinition<?> type) {
        List<String> all = new ArrayList<>();
        if (type instanceof EnumTypeDefinition enumeration) {
            enumeration.getValues().forEach(pair -> all.add(pair.getName()));
        } else if (type instanceof BooleanTypeDefinition) {
            all.addAll(List.of("true", "false"));
        } else if (type instanceof UnionTypeDefinition union) {
            union.getTypes().forEach(member -> all.addAll(choices(member)));
        }
        return all;
    }
}
