// SPDX-License-Identifier: Apache-2.0
// This file contains a reader for files inside the pcn-distribution tar.gz (test JVM side, no dependencies).
package io.polycube.osgi.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/** The distribution archive the tests boot; located by the {@code pcn.distribution} system property (set by the pom). */
public final class DistributionArchive {
    private final Path file;

    private DistributionArchive(Path file) {
        this.file = file;
    }

    /** The archive named by {@code -Dpcn.distribution}; fails clearly when it is missing. */
    public static DistributionArchive fromSystemProperty() {
        String path = System.getProperty("pcn.distribution");
        if (path == null || path.isBlank() || path.contains("${")) {
            throw new IllegalStateException("pcn.distribution is not set: run the itests through Maven (failsafe)");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("pcn.distribution does not exist: " + file + " (build karaf-features first)");
        }
        return new DistributionArchive(file);
    }

    public Path file() {
        return file;
    }

    /** The Properties of a file given relative to the Karaf home, e.g. {@code etc/org.apache.karaf.features.cfg}. */
    public Properties properties(String relativePath) {
        Properties props = new Properties();
        try {
            props.load(new java.io.StringReader(text(relativePath)
                    .orElseThrow(() -> new IllegalStateException(relativePath + " not in " + file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /** The text of a file given relative to the Karaf home (the archive's single top folder is skipped). */
    public Optional<String> text(String relativePath) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 345, 155).isEmpty()
                        ? field(header, 0, 100) : field(header, 345, 155) + "/" + field(header, 0, 100);
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                int slash = name.indexOf('/');
                if (slash >= 0 && name.substring(slash + 1).equals(relativePath)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(in.readNBytes((int) size));
                    return Optional.of(out.toString(StandardCharsets.UTF_8));
                }
                in.skipNBytes(padded);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
