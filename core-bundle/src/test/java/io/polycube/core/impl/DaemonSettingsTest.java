package io.polycube.core.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonSettingsTest {
    /** A configuration as Config Admin would hand it over (the values of etc/io.polycube.core.cfg). */
    private static DaemonSettings.Config config(String bpffs, String injector, String file) {
        return new DaemonSettings.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DaemonSettings.Config.class;
            }

            @Override
            public String bpffs_root() {
                return bpffs;
            }

            @Override
            public String injector_prefix() {
                return injector;
            }

            @Override
            public String persistence_file() {
                return file;
            }

            @Override
            public int orphan_grace_seconds() {
                return 60;
            }

            @Override
            public boolean dataplane_keep_on_stop() {
                return true;
            }
        };
    }

    @Test
    void configurationIsUsedUnlessASystemPropertyOverridesIt() {
        DaemonSettings.Config cfg = config("/sys/fs/bpf/x", "inj", "/var/lib/x/running.json");
        assertEquals(new DaemonSettings(Path.of("/sys/fs/bpf/x"), "inj", Optional.of(Path.of("/var/lib/x/running.json")),
            java.time.Duration.ofSeconds(60), true),
            DaemonSettings.of(cfg, name -> null));
        Map<String, String> props = Map.of("pcn.bpffs.root", "/sys/fs/bpf/run1", "pcn.injector.prefix", "pcn1j",
            "pcn.persistence.file", "/tmp/run1/running.json");
        assertEquals(new DaemonSettings(Path.of("/sys/fs/bpf/run1"), "pcn1j", Optional.of(Path.of("/tmp/run1/running.json")),
            java.time.Duration.ofSeconds(60), true),
            DaemonSettings.of(cfg, props::get));
    }

    @Test
    void theDataPlaneIsKeptOnStopUnlessSaidOtherwise() {
        DaemonSettings.Config cfg = config("/b", "i", "/f");
        assertEquals(true, DaemonSettings.of(cfg, name -> null).keepDataplaneOnStop());
        assertEquals(false, DaemonSettings.of(cfg, Map.of("pcn.dataplane.keep.on.stop", "false")::get).keepDataplaneOnStop());
        assertEquals(true, DaemonSettings.of(cfg, Map.of("pcn.dataplane.keep.on.stop", "perhaps")::get)
            .keepDataplaneOnStop(), "nonsense: the default");
    }

    @Test
    void orphanGraceFromTheFileOrAPropertyAndTheDefaultForNonsense() {
        DaemonSettings.Config cfg = config("/b", "i", "/f");
        assertEquals(java.time.Duration.ofSeconds(60), DaemonSettings.of(cfg, name -> null).orphanGrace());
        assertEquals(java.time.Duration.ZERO,
            DaemonSettings.of(cfg, Map.of("pcn.orphan.grace.seconds", "0")::get).orphanGrace());
        assertEquals(java.time.Duration.ofSeconds(60),
            DaemonSettings.of(cfg, Map.of("pcn.orphan.grace.seconds", "-5")::get).orphanGrace());
        assertEquals(java.time.Duration.ofSeconds(60),
            DaemonSettings.of(cfg, Map.of("pcn.orphan.grace.seconds", "soon")::get).orphanGrace());
    }

    @Test
    void anEmptyFileNameSavesNothing() {
        assertEquals(Optional.empty(), DaemonSettings.of(config("/b", "i", " "), name -> null).persistenceFile());
        assertEquals(Optional.empty(), DaemonSettings.of(config("/b", "i", "/f"), Map.of("pcn.persistence.file", "")::get)
            .persistenceFile());
    }
}
