package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polycube.core.spi.LogLevel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatterTest {
    private static String port(int index) {
        return "port" + index;
    }

    @Test
    void formatsTheFrameworkModifiersAndPrintfConversions() {
        assertEquals("10.0.0.1 from 02:00:00:00:00:0a on port3: 42 -1 4294967295 ff 0x00ff 7% x",
            LogFormatter.format("%I from %M on %P: %d %d %u %x 0x%04x 7%% %c",
                List.of(0x0A000001L, 0x02000000000AL, 3, 42, -1L, 0xffffffffL, 255, 255, (long) 'x'),
                LogFormatterTest::port));
    }

    @Test
    void lengthModifiersAndMissingArgumentsAreHandled() {
        assertEquals("5 6 <missing>", LogFormatter.format("%lu %lld %d", List.of(5L, 6L), LogFormatterTest::port));
        assertEquals("ends with %", LogFormatter.format("ends with %", List.of(), LogFormatterTest::port));
        assertEquals("%q stays", LogFormatter.format("%q stays", List.of(1), LogFormatterTest::port));
    }

    @Test
    void aPortNameIsPrintedAsIs() {
        assertEquals("on p1", LogFormatter.format("on %P", List.of("p1"), LogFormatterTest::port));
    }

    /** What pcn_log() writes on a little-endian CPU: %I and %M arguments are raw memory. */
    @Test
    void kernelRecordsAreDecodedInWireOrder() {
        ByteBuffer record = ByteBuffer.allocate(152).order(ByteOrder.LITTLE_ENDIAN);
        byte[] format = "in %P: %M > %I (%u)\0".getBytes(StandardCharsets.US_ASCII);
        record.putInt(LogLevel.TRACE.code()).putInt(format.length);
        record.putLong(2);
        record.putLong(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, 0x0b, 0, 0}).order(ByteOrder.LITTLE_ENDIAN).getLong());
        record.putLong(ByteBuffer.wrap(new byte[] {10, 0, 0, 2, 0, 0, 0, 0}).order(ByteOrder.LITTLE_ENDIAN).getLong());
        record.putLong(77).putLong(0).putLong(0);
        record.put(format).flip();
        LogRecord decoded = LogRecord.decode(record);
        assertEquals(LogLevel.TRACE, decoded.level());
        assertEquals("in port2: 02:00:00:00:00:0b > 10.0.0.2 (77)",
            LogFormatter.format(decoded.format(), decoded.args(), LogFormatterTest::port));
    }
}
