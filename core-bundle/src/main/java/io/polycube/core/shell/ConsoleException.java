package io.polycube.core.shell;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A console command failed; the message is for the person at the console. Karaf prints it as
 * {@code Error executing command: <message>}, and a script run through {@code bin/client} sees a failure.
 */
public final class ConsoleException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConsoleException(String message) {
        super(message);
    }

    /**
     * The RFC 8040 error report of a refused request, in one line:
     * {@code <status> <error-tag>: <error-message> [at <error-path>]}.
     */
    static ConsoleException of(ControlPlane.Reply reply) {
        try {
            JsonElement body = JsonParser.parseString(reply.body());
            JsonObject error = body.getAsJsonObject().getAsJsonObject("ietf-restconf:errors").getAsJsonArray("error")
                .get(0).getAsJsonObject();
            StringBuilder sb = new StringBuilder().append(reply.status()).append(' ')
                .append(error.get("error-tag").getAsString()).append(": ").append(error.get("error-message").getAsString());
            if (error.has("error-path")) {
                sb.append(" (at ").append(error.get("error-path").getAsString()).append(')');
            }
            return new ConsoleException(sb.toString());
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                | IndexOutOfBoundsException e) {
            return new ConsoleException(reply.status() + ": " + reply.body());
        }
    }

    /** Throws unless the reply is a success. */
    static ControlPlane.Reply check(ControlPlane.Reply reply) throws ConsoleException {
        if (!reply.ok()) {
            throw of(reply);
        }
        return reply;
    }
}
