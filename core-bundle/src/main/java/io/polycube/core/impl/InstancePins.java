package io.polycube.core.impl;

import io.polycube.core.spi.HookType;
import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.TcDirection;
import io.polycube.dataplane.api.XdpMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one instance's kernel objects are pinned, {@code <bpffs root>/instances/<name>/}, so its data path
 * outlives polycubed (a crash, {@code kill -9}) and the next polycubed takes it over: {@code maps/<map>} for
 * every table of its MASTER (prog arrays too: the kernel empties a prog array whose last fd and pin go) and
 * {@code links/<hook>-<direction>-<ifindex>} for every netdev attachment ({@link BpfLink#pin}), and an empty
 * directory {@code slot-<xdp|tc>-<n>} naming its patch-panel slot, which the next polycubed gives it again (the
 * pinned panel and other cubes' kept port tables reach it there while it is away). A clean delete
 * or stop removes them; what a crash left and no configuration claims is swept ({@link #sweep}).
 */
final class InstancePins {
    private static final Logger LOG = LoggerFactory.getLogger(InstancePins.class);

    private final Path dir;

    private InstancePins(Path dir) {
        this.dir = dir;
    }

    static Path root(Path bpffsRoot) {
        return bpffsRoot.resolve("instances");
    }

    static InstancePins of(Path bpffsRoot, String instance) {
        return new InstancePins(root(bpffsRoot).resolve(instance));
    }

    /** Removes the directory of instance pins if nothing is pinned in it. */
    static void removeRootIfEmpty(Path bpffsRoot) {
        try {
            Files.deleteIfExists(root(bpffsRoot));
        } catch (IOException e) {
            // not empty: released instances stay pinned for the next polycubed
        }
    }

    /** Names of the instances something is pinned for. */
    static List<String> pinned(Path bpffsRoot) {
        try (Stream<Path> dirs = Files.list(root(bpffsRoot))) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The pins of instance {@code name} under the same root. */
    InstancePins sibling(String name) {
        return new InstancePins(dir.resolveSibling(name));
    }

    /** Whether an attachment of the instance to {@code ifindex} is pinned (it holds that device). */
    boolean holdsLink(HookType hook, int ifindex, boolean egress) {
        return Files.exists(dir.resolve("links").resolve(linkName(hook, ifindex, egress)));
    }

    /**
     * Moves the pin of an attachment left here (not opened by this polycubed) to {@code to}'s pins, so that
     * {@code to} adopts it; one rename on bpffs. The undo moves it back.
     */
    void handLeftLink(InstancePins to, HookType hook, int ifindex, boolean egress, Undo undo) throws IOException {
        Path from = link(hook, ifindex, egress);
        Path target = to.link(hook, ifindex, egress);
        Files.move(from, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        undo.push(() -> Files.move(target, from, java.nio.file.StandardCopyOption.ATOMIC_MOVE));
    }

    /** Whether an earlier polycubed left this instance's tables (a crash). */
    boolean left() {
        return Files.isDirectory(dir.resolve("maps"));
    }

    Path maps() throws IOException {
        return Files.createDirectories(dir.resolve("maps"));
    }

    Path map(String name) {
        return dir.resolve("maps").resolve(name);
    }

    String name() {
        return dir.getFileName().toString();
    }

    /** The patch-panel slot recorded for the instance in the panel of {@code family} (xdp, tc), if any. */
    OptionalInt slot(String family) {
        String prefix = "slot-" + family + "-";
        try (Stream<Path> entries = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                .mapToInt(n -> Integer.parseInt(n.substring(prefix.length()))).findFirst();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Reading the slot recorded in {} failed: {}", dir, e.toString());
            return OptionalInt.empty();
        }
    }

    /** Records the instance's patch-panel slot (in place of any recorded before). */
    void recordSlot(String family, int slot) throws IOException {
        Path mark = dir.resolve("slot-" + family + "-" + slot);
        Files.createDirectories(mark);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path other : entries.toList()) {
                if (other.getFileName().toString().startsWith("slot-") && !other.equals(mark)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /** The pin of a netdev attachment. */
    Path link(HookType hook, int ifindex, boolean egress) throws IOException {
        return Files.createDirectories(dir.resolve("links")).resolve(linkName(hook, ifindex, egress));
    }

    private static String linkName(HookType hook, int ifindex, boolean egress) {
        return hook.name().toLowerCase().replace('_', '-') + "-" + (egress ? "egress" : "ingress") + "-" + ifindex;
    }

    /** The attachment an earlier polycubed pinned here, taken over, if it is still in place; else its pin goes. */
    static Optional<BpfLink> adopt(Path pin, HookType hook, int ifindex, boolean egress) {
        if (!Files.exists(pin)) {
            return Optional.empty();
        }
        try {
            return Optional.of(switch (hook) {
                case TC -> BpfLink.adoptTc(pin, ifindex, egress ? TcDirection.EGRESS : TcDirection.INGRESS);
                case XDP_SKB -> BpfLink.adoptXdp(pin, ifindex, XdpMode.SKB);
                case XDP_DRV -> BpfLink.adoptXdp(pin, ifindex, XdpMode.DRV);
            });
        } catch (BpfException e) {
            LOG.info("{} not taken over ({}); attaching afresh", pin, e.getMessage());
            deleteQuietly(pin);
            return Optional.empty();
        }
    }

    /** Forgets the tables (incompatible with the instance's code now): the next load makes new ones. */
    void dropMaps() {
        deleteTree(dir.resolve("maps"));
    }

    /** Unpins everything (the instance is gone); attachments still pinned are detached first. */
    void delete() {
        Path links = dir.resolve("links");
        try (Stream<Path> pins = Files.exists(links) ? Files.list(links) : Stream.empty()) {
            for (Path pin : pins.toList()) {
                detach(pin);
            }
        } catch (IOException e) {
            LOG.warn("Listing {} failed: {}", links, e.getMessage());
        }
        deleteTree(dir);
    }

    /** Detaches and unpins the attachment pinned at {@code pin} (its name says where it is). */
    private static void detach(Path pin) {
        String[] parts = pin.getFileName().toString().split("-");
        try {
            int ifindex = Integer.parseInt(parts[parts.length - 1]);
            boolean egress = parts[parts.length - 2].equals("egress");
            HookType hook = HookType.valueOf(String.join("_", java.util.Arrays.copyOf(parts, parts.length - 2))
                .toUpperCase());
            adopt(pin, hook, ifindex, egress).ifPresent(BpfLink::close);
        } catch (RuntimeException e) {
            LOG.warn("{}: not a pin polycubed made ({}); removed", pin, e.toString());
        }
        deleteQuietly(pin);
    }

    /**
     * Removes what an earlier polycubed pinned for instances that are not {@code live} now: their
     * attachments are detached, their tables unpinned. Returns the names swept.
     */
    static List<String> sweep(Path bpffsRoot, java.util.Set<String> live) {
        List<String> swept = new ArrayList<>();
        for (String name : pinned(bpffsRoot)) {
            if (!live.contains(name)) {
                of(bpffsRoot, name).delete();
                swept.add(name);
            }
        }
        return swept;
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(InstancePins::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("Removing {} failed: {}", path, e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", path, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
