package io.polycube.core.impl;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Formats {@code pcn_log} messages, the same for records from the data path and calls from Java:
 * {@code %d %i %u %x %X %o %c %%} with optional flags/width and {@code l}/{@code ll} length modifiers,
 * plus {@code %I} (IPv4 address), {@code %M} (MAC address) and {@code %P} (port, by name).
 * Arguments are numbers as Java sees them: an IPv4 address as its 32-bit big-endian value, a MAC as
 * its 48-bit big-endian value, a port as its data-path index (or already a name).
 */
final class LogFormatter {
    private LogFormatter() {
    }

    static String format(String format, List<?> args, IntFunction<String> portName) {
        StringBuilder out = new StringBuilder(format.length() + 32);
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            int start = i;
            int j = i + 1;
            while (j < format.length() && "-+ 0#".indexOf(format.charAt(j)) >= 0) {
                j++;
            }
            while (j < format.length() && Character.isDigit(format.charAt(j))) {
                j++;
            }
            while (j < format.length() && (format.charAt(j) == 'l' || format.charAt(j) == 'h')) {
                j++;
            }
            if (j >= format.length()) {
                out.append(format, start, format.length());
                break;
            }
            char conversion = format.charAt(j);
            String spec = format.substring(start, j).replace("l", "").replace("h", "");
            if (conversion == '%') {
                out.append('%');
            } else if ("diuxXocIMP".indexOf(conversion) < 0) {
                out.append(format, start, j + 1);
            } else if (next >= args.size()) {
                out.append("<missing>");
            } else {
                out.append(convert(spec, conversion, args.get(next++), portName));
            }
            i = j;
        }
        return out.toString();
    }

    private static String convert(String spec, char conversion, Object arg, IntFunction<String> portName) {
        if (conversion == 'P') {
            return arg instanceof Number n ? portName.apply(n.intValue()) : String.valueOf(arg);
        }
        if (!(arg instanceof Number number)) {
            return String.valueOf(arg);
        }
        long v = number.longValue();
        return switch (conversion) {
            case 'I' -> ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
            case 'M' -> String.format("%02x:%02x:%02x:%02x:%02x:%02x", (v >>> 40) & 0xff, (v >>> 32) & 0xff,
                (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
            case 'u' -> String.format(spec + "s", Long.toUnsignedString(v));
            case 'c' -> String.valueOf((char) v);
            case 'i' -> String.format(spec + "d", v);
            default -> String.format(spec + conversion, v);
        };
    }
}
