package io.polycube.core.impl;

import io.polycube.core.spi.LogLevel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code struct pcn_log_rec} from a cube's {@code pcn_log_ring} (see {@code pcn/log.h}), with its raw
 * arguments turned into the values {@link LogFormatter} expects: the kernel hands over %I and %M
 * arguments as memory loaded by a little-endian CPU, so their bytes are put back in wire order.
 */
record LogRecord(LogLevel level, String format, List<Long> args) {
    static final int MAX_ARGS = 6;

    static LogRecord decode(ByteBuffer record) {
        int level = record.getInt();
        int formatLength = record.getInt();
        long[] raw = new long[MAX_ARGS];
        for (int i = 0; i < MAX_ARGS; i++) {
            raw[i] = record.getLong();
        }
        byte[] text = new byte[Math.max(0, Math.min(formatLength, record.remaining()))];
        record.get(text);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        String format = new String(text, 0, end, StandardCharsets.UTF_8);
        return new LogRecord(LogLevel.ofCode(Math.min(level, LogLevel.TRACE.code())), format, wireOrder(format, raw));
    }

    private static List<Long> wireOrder(String format, long[] raw) {
        List<Long> args = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < format.length() - 1 && next < MAX_ARGS; i++) {
            if (format.charAt(i) != '%') {
                continue;
            }
            int j = i + 1;
            while (j < format.length() && "-+ 0#0123456789lh".indexOf(format.charAt(j)) >= 0) {
                j++;
            }
            if (j >= format.length()) {
                break;
            }
            char conversion = format.charAt(j);
            i = j;
            if (conversion == '%') {
                continue;
            }
            long v = raw[next++];
            args.add(switch (conversion) {
                case 'I' -> Integer.toUnsignedLong(Integer.reverseBytes((int) v));
                case 'M' -> Long.reverseBytes(v) >>> 16;
                default -> v;
            });
        }
        return args;
    }
}
