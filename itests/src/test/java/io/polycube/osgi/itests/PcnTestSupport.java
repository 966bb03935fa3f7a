// SPDX-License-Identifier: Apache-2.0
// This file contains the base class of all polycubed integration tests (Pax Exam, one Karaf per test class).
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the real polycubed distribution ({@code pcn-distribution} tar.gz, located by the pom) in a forked
 * Karaf under {@code target/exam}, with free HTTP/SSH/RMI ports and pax-url limited to ~/.m2 + Central.
 * Subclasses add {@code @RunWith(PaxExam.class) @ExamReactorStrategy(PerClass.class)} and tests; they tune
 * the boot with {@link #excludedBootFeatures()} and {@link #additionalOptions()}.
 * <p>{@link #config()} runs in the Maven (driver) JVM; everything else runs inside Karaf.
 */
public abstract class PcnTestSupport {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String FEATURES_CFG = "etc/org.apache.karaf.features.cfg";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    private Http http;

    // ---- container configuration (driver JVM) ----

    @Configuration
    public Option[] config() {
        DistributionArchive archive = DistributionArchive.fromSystemProperty();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(archive.file().toUri().toString())
                        .name("polycubed")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                systemProperty("pax.exam.service.timeout").value(Long.toString(DEFAULT_TIMEOUT.toMillis()))));
        options.addAll(mavenResolutionOptions());
        options.addAll(jdk17VmOptions());
        Set<String> excluded = excludedBootFeatures();
        if (!excluded.isEmpty()) {
            options.add(editConfigurationFilePut(FEATURES_CFG, "featuresBoot", bootFeaturesWithout(archive, excluded)));
        }
        // polycubed's injector veth pair gets a name of this run, so that parallel builds do not collide
        String injector = String.format("pcn%06xj", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000000));
        options.add(systemProperty("pcn.injector.prefix").value(injector));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del",
                injector + "0"), "pcn-injector-sweep"));
        // and its patch panels a bpffs directory of this run, removed when the driver JVM exits
        String pins = String.format("/sys/fs/bpf/pcn%06xp", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000000));
        options.add(systemProperty("pcn.bpffs.root").value(pins));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf", pins),
                "pcn-pins-sweep"));
        // a Karaf that stops takes its data plane down (the default keeps it pinned: here, until the driver exits)
        options.add(systemProperty("pcn.dataplane.keep.on.stop").value(Boolean.toString(keepDataplaneOnStop())));
        // and its saved configuration a file of this run (never the machine's /var/lib/polycubed)
        options.add(systemProperty("pcn.persistence.file").value(persistenceFile().toString()));
        options.addAll(Arrays.asList(additionalOptions()));
        return options.toArray(Option[]::new);
    }

    /**
     * Where polycubed saves its configuration in this run: a fresh temporary directory of the driver JVM
     * (removed on its exit); a test class may override it to start from a prepared file.
     */
    protected java.nio.file.Path persistenceFile() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pcn-running-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Netns.run(Netns.DEFAULT_TIMEOUT, "rm", "-rf",
                    dir.toString()), "pcn-running-sweep"));
            return dir.resolve("running.json");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * {@code dataplane.keep.on.stop} of this class's Karaf: false, so that each test class leaves nothing in the
     * kernel; a class testing the default (a stop keeps the cubes forwarding) says true.
     */
    protected boolean keepDataplaneOnStop() {
        return false;
    }

    /** Names of boot features (e.g. {@code pcn-simplefwd}) to drop from the distribution's featuresBoot. */
    protected Set<String> excludedBootFeatures() {
        return Set.of();
    }

    /**
     * The namespace prefix of a test class's topology ({@code pcn} + 6 random hex digits). Pax Exam loads the
     * class twice, in the driver JVM (which configures Karaf) and in Karaf (which runs the tests): the driver
     * draws it and hands it to Karaf as a system property ({@link #sharedTopology}), so both build the same names.
     */
    protected static String topologyPrefix(Class<?> testClass) {
        return System.getProperty(prefixProperty(testClass),
                String.format("pcn%06x", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000000)));
    }

    /**
     * Options handing {@code prefix} to Karaf. Karaf's JVM removes the namespaces it made on exit (Netns' own
     * hook); the driver JVM also removes {@code prefix + suffix} and their root-side veths on its exit, in case
     * Karaf was killed first. (JUnit class rules run inside Karaf around each method: they cannot own them.)
     */
    protected static Option[] sharedTopology(Class<?> testClass, String prefix, String... suffixes) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String suffix : suffixes) {
                Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "netns", "del", prefix + suffix);
                Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del", prefix + suffix + "a");
            }
        }, "pcn-sweep-" + testClass.getSimpleName()));
        return new Option[] {systemProperty(prefixProperty(testClass)).value(prefix)};
    }

    private static String prefixProperty(Class<?> testClass) {
        return "pcn.itest." + testClass.getSimpleName() + ".prefix";
    }

    /**
     * The bundle jar of {@code itests/<module>} (artifact {@code artifactId}), built by the reactor before this
     * module; an absolute path, resolved in the build's JVM (its directory is itests/) for the container.
     */
    protected static String reactorJar(String module, String artifactId) {
        try (java.util.stream.Stream<java.nio.file.Path> jars = java.nio.file.Files.list(
                java.nio.file.Path.of(module, "target"))) {
            return jars.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(artifactId)
                    + "-[0-9].*\\.jar") && !p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build itests/" + module + " first"))
                    .toAbsolutePath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("build itests/" + module + " first", e);
        }
    }

    /** Extra Pax Exam options of a test class (config edits, system properties, bundles). */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /** pax-url inside Karaf: the test's local repository (~/.m2 or -Dmaven.repo.local) and Maven Central only. */
    protected static List<Option> mavenResolutionOptions() {
        String cfg = "etc/org.ops4j.pax.url.mvn.cfg";
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        return List.of(
                editConfigurationFilePut(cfg, "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut(cfg, "org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central"),
                editConfigurationFilePut(cfg, "org.ops4j.pax.url.mvn.useFallbackRepositories", "false"));
    }

    /**
     * The module options {@code bin/karaf} passes on JDK 9+ (Karaf 4.4.10): Pax Exam launches its own
     * {@code java}, and without them Karaf fails with {@code NoClassDefFoundError: ...OsgiLocator}.
     * Paths are relative to the Karaf home, which is the forked JVM's working directory.
     */
    protected static List<Option> jdk17VmOptions() {
        String karafVersion = System.getProperty("karaf.version", "4.4.10");
        List<String> args = List.of(
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*");
        return args.stream().map(VMOption::new).collect(Collectors.toList());
    }

    private static String bootFeaturesWithout(DistributionArchive archive, Set<String> excluded) {
        String boot = archive.properties(FEATURES_CFG).getProperty("featuresBoot", "");
        List<String> kept = Arrays.stream(boot.split(","))
                .map(String::trim)
                .filter(f -> !f.isEmpty() && !excluded.contains(f.split("/")[0]))
                .collect(Collectors.toList());
        return String.join(",", kept);
    }

    private static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    // ---- helpers (inside Karaf) ----

    /** Runs a console command as an admin user; returns what it printed (and its result). Fails after 60 s. */
    protected String executeCommand(String command) {
        return executeCommand(command, DEFAULT_TIMEOUT);
    }

    protected String executeCommand(String command, Duration timeout) {
        // Right after boot a feature's commands may not be registered yet: retry "command not found".
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                return executeOnce(command, timeout);
            } catch (AssertionError e) {
                boolean notYet = false;
                for (Throwable t = e; t != null; t = t.getCause()) {
                    notYet |= t.getClass().getSimpleName().equals("CommandNotFoundException");
                }
                if (!notYet || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private String executeOnce(String command, Duration timeout) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().addAll(List.of(new UserPrincipal("karaf"), new RolePrincipal("admin"),
                new RolePrincipal("manager"), new RolePrincipal("viewer"), new RolePrincipal("systembundles")));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Session session = sessionFactory.create(System.in, out, out)) {
            Future<Object> result = executor.submit(
                    () -> Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command)));
            Object value = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (value != null) {
                out.println(value);
            }
            out.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError("command failed: " + command + "\n" + bytes.toString(StandardCharsets.UTF_8), e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Installs a feature through the console and waits until it is installed and started. */
    protected void installAndAssertFeature(String feature) {
        executeCommand("feature:install " + feature, Duration.ofMinutes(3));
        waitFor("feature " + feature + " installed", DEFAULT_TIMEOUT, () -> isInstalled(feature));
    }

    protected boolean isInstalled(String feature) {
        try {
            return Arrays.stream(featuresService.listInstalledFeatures()).anyMatch(f -> f.getName().equals(feature));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (60 s) for a service of that type and returns it. */
    protected <T> T assertServiceAvailable(Class<T> type) {
        return assertServiceAvailable(type, DEFAULT_TIMEOUT);
    }

    protected <T> T assertServiceAvailable(Class<T> type, Duration timeout) {
        return assertServiceAvailable(type, null, timeout);
    }

    /** Waits for a service of that type matching an LDAP filter on its properties, e.g. {@code (cube.type=simplefwd)}. */
    protected <T> T assertServiceAvailable(Class<T> type, String filter, Duration timeout) {
        ServiceTracker<T, T> tracker;
        try {
            tracker = filter == null
                    ? new ServiceTracker<>(bundleContext, type, null)
                    : new ServiceTracker<>(bundleContext, bundleContext.createFilter(
                            "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + filter + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
        tracker.open(true);
        try {
            T service = tracker.waitForService(timeout.toMillis());
            assertNotNull("service " + type.getName() + (filter == null ? "" : " " + filter)
                    + " not available after " + timeout, service);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    /** Waits until polycubed serves RESTCONF and has registered these cube types (their modules are served). */
    protected void awaitCubeTypes(String... types) {
        http().awaitReachable("/restconf/data", DEFAULT_TIMEOUT);
        io.polycube.core.api.Polycube polycube = assertServiceAvailable(io.polycube.core.api.Polycube.class);
        waitFor("cube types " + java.util.Arrays.toString(types), DEFAULT_TIMEOUT,
                () -> polycube.cubeTypes().containsAll(java.util.List.of(types)));
    }

    /** The bundle with that symbolic name, or a failed assertion. */
    protected Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /** Waits until the bundle is ACTIVE. */
    protected void assertBundleActive(String symbolicName) {
        waitFor(symbolicName + " ACTIVE", DEFAULT_TIMEOUT, () -> bundle(symbolicName).getState() == Bundle.ACTIVE);
    }

    /** Bundles that are neither ACTIVE nor resolved fragments, as "id name state" lines. */
    protected List<String> unhealthyBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> !(b.getState() == Bundle.ACTIVE
                        || (b.getState() == Bundle.RESOLVED && b.getHeaders().get(Constants.FRAGMENT_HOST) != null)))
                .map(b -> b.getBundleId() + " " + b.getSymbolicName() + " state=" + b.getState())
                .collect(Collectors.toList());
    }

    /** The HTTP port Pax Web listens on (from Config Admin, so it is what the container really uses). */
    protected int httpPort() {
        try {
            Dictionary<String, Object> props = configurationAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties();
            assertNotNull("no org.ops4j.pax.web configuration", props);
            return Integer.parseInt(props.get("org.osgi.service.http.port").toString().trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A client for {@code http://127.0.0.1:<httpPort>}. */
    protected Http http() {
        if (http == null) {
            http = new Http(httpPort());
        }
        return http;
    }

    /** {@code /restconf/data/pcn-polycubed:polycubed}: cube types, instances, netdevs, as polycubed reports them. */
    protected com.google.gson.JsonObject polycubedModel() {
        Http.Response response = http().get("/restconf/data/pcn-polycubed:polycubed");
        assertEquals(response.body(), 200, response.status());
        return com.google.gson.JsonParser.parseString(response.body()).getAsJsonObject()
                .getAsJsonObject("pcn-polycubed:polycubed");
    }

    /** The entries of a YANG list in JSON by their {@code name} key, in order; empty for an absent list. */
    protected static java.util.Map<String, com.google.gson.JsonObject> byName(com.google.gson.JsonArray list) {
        java.util.Map<String, com.google.gson.JsonObject> map = new java.util.LinkedHashMap<>();
        if (list != null) {
            for (com.google.gson.JsonElement e : list) {
                map.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
            }
        }
        return map;
    }

    protected static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ids of the TC (TCX) programs on a root-namespace device's ingress, as the kernel reports them. */
    protected static List<Integer> tcPrograms(String dev) {
        try {
            return io.polycube.dataplane.api.Netdevs.tcxProgramIds(
                    io.polycube.dataplane.api.Netdevs.ifindex(dev).orElseThrow(),
                    io.polycube.dataplane.api.TcDirection.INGRESS);
        } catch (io.polycube.dataplane.api.BpfException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void assertContains(String haystack, String needle) {
        assertTrue("expected <" + needle + "> in:\n" + haystack, haystack.contains(needle));
    }
}
