package io.polycube.core.restconf;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The RFC 7232 conditional headers of a request, evaluated in the order of RFC 7232 §6: If-Match,
 * If-Unmodified-Since, If-None-Match, If-Modified-Since. An unparsable date is ignored (§3.3/3.4).
 *
 * @param ifMatch entity tags, "*", or null when absent
 * @param ifNoneMatch entity tags, "*", or null when absent
 */
record Preconditions(List<String> ifMatch, List<String> ifNoneMatch, Instant ifModifiedSince,
        Instant ifUnmodifiedSince) {
    static Preconditions of(RestconfRequest request) {
        return new Preconditions(tags(request.header("If-Match")), tags(request.header("If-None-Match")),
            date(request.header("If-Modified-Since")), date(request.header("If-Unmodified-Since")));
    }

    boolean isEmpty() {
        return ifMatch == null && ifNoneMatch == null && ifModifiedSince == null && ifUnmodifiedSince == null;
    }

    /**
     * Checks a read; returns 304 when the client's copy is current, empty to answer normally.
     *
     * @param etag the resource's current tag, or null if it does not exist
     */
    Optional<Integer> checkRead(String etag, Instant lastModified) throws RestconfException {
        checkMatch(etag, lastModified);
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag)) {
                return Optional.of(304);
            }
        } else if (ifModifiedSince != null && etag != null && !seconds(lastModified).isAfter(ifModifiedSince)) {
            return Optional.of(304);
        }
        return Optional.empty();
    }

    /** Checks a write against the resource as it is inside the write's critical section. */
    void checkWrite(String etag, Instant lastModified) throws RestconfException {
        checkMatch(etag, lastModified);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            throw failed("If-None-Match matches the current entity tag " + etag);
        }
    }

    private void checkMatch(String etag, Instant lastModified) throws RestconfException {
        if (ifMatch != null) {
            if (!matches(ifMatch, etag)) {
                throw failed(etag == null ? "If-Match given, but the resource does not exist"
                    : "If-Match does not match the current entity tag " + etag);
            }
        } else if (ifUnmodifiedSince != null && (etag == null || seconds(lastModified).isAfter(ifUnmodifiedSince))) {
            throw failed("the resource was modified after " + HttpDates.format(ifUnmodifiedSince));
        }
    }

    private static boolean matches(List<String> tags, String etag) {
        return etag != null && (tags.contains("*") || tags.contains(etag));
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static RestconfException failed(String message) {
        return new RestconfException(412, RestconfException.ErrorType.PROTOCOL, "operation-failed", null,
            "precondition failed: " + message);
    }

    private static List<String> tags(String header) {
        if (header == null) {
            return null;
        }
        // Strong comparison for If-Match (RFC 7232 §3.1); W/ tags never match a strong tag.
        return Arrays.stream(header.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static Instant date(String header) {
        if (header == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** HTTP-date formatting (RFC 7231 §7.1.1.1). */
    static final class HttpDates {
        private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

        private HttpDates() {
        }

        /** The last second formatted: every answer carries Last-Modified, which changes only on a commit. */
        private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

        private record Formatted(long epochSecond, String text) {
        }

        static String format(Instant instant) {
            Formatted cached = last;
            if (cached.epochSecond() != instant.getEpochSecond()) {
                cached = new Formatted(instant.getEpochSecond(), FORMAT.format(instant.atZone(ZoneOffset.UTC)));
                last = cached;
            }
            return cached.text();
        }
    }
}
