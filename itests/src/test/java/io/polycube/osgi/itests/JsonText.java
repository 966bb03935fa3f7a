// SPDX-License-Identifier: Apache-2.0
// This file contains a canonical form of JSON documents, to compare configurations whatever their list order.
package io.polycube.osgi.itests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON with object members sorted by name and array elements sorted by their own canonical text. */
public final class JsonText {
    private JsonText() {
    }

    /**
     * The canonical text of a document: YANG lists without {@code ordered-by user} have no defined order, and a
     * replayed configuration may list its entries in another order than before.
     */
    public static String canonical(String json) {
        return canonical(JsonParser.parseString(json)).toString();
    }

    private static JsonElement canonical(JsonElement element) {
        if (element instanceof JsonObject object) {
            Map<String, JsonElement> sorted = new TreeMap<>();
            object.entrySet().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            JsonObject result = new JsonObject();
            sorted.forEach(result::add);
            return result;
        }
        if (element instanceof JsonArray array) {
            List<JsonElement> items = new ArrayList<>();
            array.forEach(e -> items.add(canonical(e)));
            items.sort((x, y) -> x.toString().compareTo(y.toString()));
            JsonArray result = new JsonArray();
            items.forEach(result::add);
            return result;
        }
        return element;
    }
}
