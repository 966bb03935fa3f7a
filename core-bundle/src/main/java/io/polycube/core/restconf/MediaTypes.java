package io.polycube.core.restconf;

import java.util.Locale;

/** Content negotiation (RFC 7231 §5.3.2 Accept with q-values) and the request body's media type. */
final class MediaTypes {
    static final String YANG_DATA_JSON = "application/yang-data+json";
    static final String YANG_DATA_XML = "application/yang-data+xml";
    static final String YANG_PATCH_JSON = "application/yang-patch+json";
    static final String YANG_PATCH_XML = "application/yang-patch+xml";

    /** The representations this server writes and reads. */
    enum Format { JSON, XML }

    private MediaTypes() {
    }

    /**
     * The representation an Accept header asks for (JSON when there is none or on a tie).
     *
     * @throws RestconfException 406 when nothing acceptable can be produced
     */
    static Format negotiate(String accept) throws RestconfException {
        if (accept == null || accept.isBlank()) {
            return Format.JSON;
        }
        double json = -1;
        double xml = -1;
        // The most specific range naming a type decides its quality (RFC 7231 §5.3.2).
        int jsonSpecificity = -1;
        int xmlSpecificity = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] param = parts[i].trim().split("=", 2);
                if (param.length == 2 && param[0].trim().equalsIgnoreCase("q")) {
                    q = quality(param[1].trim());
                }
            }
            int forJson = specificity(type, YANG_DATA_JSON, "application/json");
            int forXml = specificity(type, YANG_DATA_XML, "application/xml");
            if (forJson > jsonSpecificity) {
                jsonSpecificity = forJson;
                json = q;
            }
            if (forXml > xmlSpecificity) {
                xmlSpecificity = forXml;
                xml = q;
            }
        }
        if (!XmlBodies.ENABLED) {
            xml = -1;
        }
        if (json <= 0 && xml <= 0) {
            throw new RestconfException(406, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
                "none of the accepted media types can be produced; use " + YANG_DATA_JSON
                + (XmlBodies.ENABLED ? " or " + YANG_DATA_XML : ""));
        }
        return xml > json ? Format.XML : Format.JSON;
    }

    private static int specificity(String range, String exact, String plain) {
        if (range.equals(exact) || range.equals(plain)) {
            return 2;
        }
        if (range.equals("application/*")) {
            return 1;
        }
        return range.equals("*/*") ? 0 : -1;
    }

    private static double quality(String text) {
        if (!text.matches("(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?)")) {
            return 0;
        }
        return Double.parseDouble(text);
    }

    /** The Content-Type to answer with. */
    static String contentType(Format format) {
        return format == Format.XML ? YANG_DATA_XML : YANG_DATA_JSON;
    }

    /**
     * The format of a data body (PUT, POST, PATCH).
     *
     * @throws RestconfException 415 for a missing or unsupported Content-Type
     */
    static Format dataBody(String mediaType) throws RestconfException {
        if (YANG_DATA_JSON.equals(mediaType) || "application/json".equals(mediaType)) {
            return Format.JSON;
        }
        if (XmlBodies.ENABLED && (YANG_DATA_XML.equals(mediaType) || "application/xml".equals(mediaType))) {
            return Format.XML;
        }
        throw unsupported(mediaType);
    }

    static RestconfException unsupported(String mediaType) {
        return new RestconfException(415, RestconfException.ErrorType.PROTOCOL, "invalid-value", null,
            (mediaType == null ? "the request body has no Content-Type" : "unsupported media type '" + mediaType + "'")
            + "; use " + YANG_DATA_JSON + (XmlBodies.ENABLED ? " or " + YANG_DATA_XML : ""));
    }
}
