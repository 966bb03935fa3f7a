package io.polycube.core.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * polycubed's settings: Config Admin PID {@value #PID} ({@code etc/io.polycube.core.cfg}), each
 * overridable by a system property {@code pcn.<key>} (tests set them per run). A changed configuration
 * restarts the daemon component: every instance is replayed from the saved file, taking over its data path
 * (or, with {@code dataplane.keep.on.stop = false}, re-created after a teardown).
 */
public record DaemonSettings(Path bpffsRoot, String injectorPrefix, Optional<Path> persistenceFile,
        Duration orphanGrace, boolean keepDataplaneOnStop) {
    static final String PID = "io.polycube.core";

    static final int DEFAULT_ORPHAN_GRACE_SECONDS = 60;

    @ObjectClassDefinition(name = "polycubed", description = "Settings of the polycubed daemon")
    public @interface Config {
        @AttributeDefinition(name = "bpffs root", description = "Directory on bpffs where polycubed pins its "
            + "patch panels and PUBLIC tables (made if missing). System property pcn.bpffs.root wins.")
        String bpffs_root() default "/sys/fs/bpf/pcn";

        @AttributeDefinition(name = "Injector prefix", description = "Names of the packet_out veth pair "
            + "<prefix>0/<prefix>1. System property pcn.injector.prefix wins.")
        String injector_prefix() default "pcninj";

        @AttributeDefinition(name = "Saved configuration", description = "File the running configuration is "
            + "saved to after every change and replayed from at start (a .bak copy sits next to it); empty: "
            + "not saved. System property pcn.persistence.file wins.")
        String persistence_file() default "/var/lib/polycubed/running.json";

        @AttributeDefinition(name = "Orphan grace (s)", description = "How long the instances of a cube type that "
            + "went away (bundle update or uninstall) keep forwarding without their control plane, waiting for "
            + "the type to come back and adopt them with their kernel state; 0: freed at once. System property "
            + "pcn.orphan.grace.seconds wins.")
        int orphan_grace_seconds() default DEFAULT_ORPHAN_GRACE_SECONDS;

        @AttributeDefinition(name = "Keep the data plane on stop", description = "Whether a stop of polycubed "
            + "(bin/stop, a restart or update of the core bundle, a changed configuration) leaves its cubes "
            + "forwarding from their pins for the next start to take over; false: a stop detaches and unpins "
            + "everything. System property pcn.dataplane.keep.on.stop wins.")
        boolean dataplane_keep_on_stop() default true;
    }

    static DaemonSettings of(Config config) {
        return of(config, System::getProperty);
    }

    /** {@code systemProperties}: name → value or null. */
    static DaemonSettings of(Config config, UnaryOperator<String> systemProperties) {
        String bpffs = override(systemProperties, "pcn.bpffs.root", config.bpffs_root());
        String injector = override(systemProperties, "pcn.injector.prefix", config.injector_prefix());
        String file = override(systemProperties, "pcn.persistence.file", config.persistence_file());
        String grace = override(systemProperties, "pcn.orphan.grace.seconds",
            Integer.toString(config.orphan_grace_seconds()));
        long seconds;
        try {
            seconds = Long.parseLong(grace.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            // A setting that makes no sense must not stop the daemon: the default, said loudly.
            org.slf4j.LoggerFactory.getLogger(DaemonSettings.class).error(
                "orphan.grace.seconds '{}' is not a number of seconds >= 0; using {}", grace, DEFAULT_ORPHAN_GRACE_SECONDS);
            seconds = DEFAULT_ORPHAN_GRACE_SECONDS;
        }
        String keep = override(systemProperties, "pcn.dataplane.keep.on.stop",
            Boolean.toString(config.dataplane_keep_on_stop())).trim();
        if (!keep.equalsIgnoreCase("true") && !keep.equalsIgnoreCase("false")) {
            org.slf4j.LoggerFactory.getLogger(DaemonSettings.class).error(
                "dataplane.keep.on.stop '{}' is neither true nor false; using true", keep);
            keep = "true";
        }
        return new DaemonSettings(Path.of(bpffs), injector,
            file.isBlank() ? Optional.empty() : Optional.of(Path.of(file.trim())), Duration.ofSeconds(seconds),
            Boolean.parseBoolean(keep));
    }

    private static String override(UnaryOperator<String> systemProperties, String name, String configured) {
        String value = systemProperties.apply(name);
        return value != null ? value : configured == null ? "" : configured;
    }
}
