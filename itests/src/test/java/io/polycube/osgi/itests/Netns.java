// SPDX-License-Identifier: Apache-2.0
// This file contains a throw-away network namespace with a veth to the root namespace, for data-path tests.
package io.polycube.osgi.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A namespace {@code pcn<rand>} holding {@code eth0}, whose veth peer {@code pcn<rand>a} stays in the root
 * namespace (attach cubes there). Addresses (10.0.0.0/8 only) are assigned inside the namespace only.
 * {@link #close()} deletes the namespace and the veth; a JVM shutdown hook removes whatever a crashed
 * test left behind. Commands run through {@link ProcessBuilder} with a timeout.
 * <p>Note: {@code ip netns exec} remounts /sys (bpffs is hidden inside); use {@link #nsenter} for tools
 * that need /sys/fs/bpf.
 */
public final class Netns implements AutoCloseable {
    /** Exit code and combined stdout/stderr of a command. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<Netns> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Netns::close), "pcn-netns-cleanup"));
    }

    private final String name;
    private final String hostIfName;
    private final List<String> addresses = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
        this.hostIfName = name + "a";
    }

    /** Creates {@code pcn<rand>} with {@code eth0} (up, no address) ↔ root-namespace {@code pcn<rand>a} (up). */
    public static Netns create() {
        // Interface names are limited to 15 characters: "pcn" + 8 hex + "a" = 12.
        return named(String.format("pcn%08x", ThreadLocalRandom.current().nextInt()));
    }

    /**
     * Like {@link #create()} with a given name (starting with {@code pcn}, at most 14 characters), for
     * topologies set up in one JVM and used in another; a stale namespace of that name is removed first.
     */
    public static Netns named(String name) {
        if (!name.matches("pcn[a-z0-9]{1,11}")) {
            throw new IllegalArgumentException("namespace names are pcn + up to 11 [a-z0-9], got " + name);
        }
        if (namespaceExists(name)) {
            run(DEFAULT_TIMEOUT, "ip", "netns", "del", name);
        }
        if (linkExists(name + "a")) {
            run(DEFAULT_TIMEOUT, "ip", "link", "del", name + "a");
        }
        Netns ns = new Netns(name);
        LIVE.add(ns);
        try {
            runChecked("ip", "netns", "add", ns.name);
            runChecked("ip", "link", "add", ns.hostIfName, "type", "veth", "peer", "name", "eth0", "netns", ns.name);
            runChecked("ip", "link", "set", ns.hostIfName, "up");
            runChecked("ip", "-n", ns.name, "link", "set", "lo", "up");
            runChecked("ip", "-n", ns.name, "link", "set", "eth0", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Creates a namespace and assigns {@code cidr} (e.g. {@code 10.1.2.1/24}) to its {@code eth0}. */
    public static Netns create(String cidr) {
        Netns ns = create();
        try {
            return ns.addAddress(cidr);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Adds an IPv4 address in 10.0.0.0/8 to the namespace's {@code eth0}. */
    public Netns addAddress(String cidr) {
        if (!cidr.matches("10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}")) {
            throw new IllegalArgumentException("only 10.0.0.0/8 addresses with a prefix, got " + cidr);
        }
        runChecked("ip", "-n", name, "addr", "add", cidr, "dev", "eth0");
        addresses.add(cidr);
        return this;
    }

    /** Turns GRO on for eth0: an XDP_DRV redirect into a veth needs GRO (or XDP) at its far end. */
    public Netns withGro() {
        runChecked("ip", "netns", "exec", name, "ethtool", "-K", "eth0", "gro", "on");
        return this;
    }

    public String name() {
        return name;
    }

    /** The veth end in the root namespace (where cubes attach). */
    public String hostIfName() {
        return hostIfName;
    }

    /** The addresses given to {@code eth0}, as CIDR strings. */
    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /** Runs a command in the namespace via {@code ip netns exec} (fresh /sys: no bpffs). */
    public Result exec(String... command) {
        return run(DEFAULT_TIMEOUT, prepend(List.of("ip", "netns", "exec", name), command));
    }

    /** Runs a command in the namespace via {@code nsenter --net} (keeps /sys/fs/bpf visible). */
    public Result nsenter(String... command) {
        return run(DEFAULT_TIMEOUT, prepend(List.of("nsenter", "--net=/run/netns/" + name), command));
    }

    /** {@code ping -c count -W 1 ip} from inside the namespace. */
    public Result ping(String ip, int count) {
        return exec("ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", ip);
    }

    /** The MAC address of {@code eth0}. */
    public String mac() {
        var m = java.util.regex.Pattern.compile("link/ether (\\S+)")
                .matcher(runChecked("ip", "-n", name, "link", "show", "dev", "eth0").output());
        if (!m.find()) {
            throw new IllegalStateException("no MAC on eth0 in " + name);
        }
        return m.group(1);
    }

    /** Deletes the namespace (and with it eth0) and the root-side veth; never throws. */
    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        run(DEFAULT_TIMEOUT, "ip", "netns", "del", name);
        if (linkExists(hostIfName)) {
            run(DEFAULT_TIMEOUT, "ip", "link", "del", hostIfName);
        }
    }

    /** Whether a link of that name exists in the root namespace. */
    public static boolean linkExists(String ifName) {
        return run(DEFAULT_TIMEOUT, "ip", "link", "show", "dev", ifName).ok();
    }

    /** Whether a named namespace exists. */
    public static boolean namespaceExists(String nsName) {
        return java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", nsName));
    }

    /** Runs a command, fails on a non-zero exit. */
    public static Result runChecked(String... command) {
        Result result = run(DEFAULT_TIMEOUT, command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode()
                    + ": " + result.output().trim());
        }
        return result;
    }

    /** Runs a command with a timeout (killed when it expires); never throws on a non-zero exit. */
    public static Result run(Duration timeout, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            // Output is small for the tools used here; read it fully, bounded by the timeout below.
            byte[][] out = new byte[1][];
            Thread pump = new Thread(() -> {
                try {
                    out[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            }, "netns-output");
            pump.setDaemon(true);
            pump.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + timeout);
            }
            pump.join(timeout.toMillis());
            return new Result(process.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static Result run(Duration timeout, List<String> command) {
        return run(timeout, command.toArray(String[]::new));
    }

    private static List<String> prepend(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    @Override
    public String toString() {
        return name + "[eth0 " + addresses + " <-> " + hostIfName + "]";
    }
}
