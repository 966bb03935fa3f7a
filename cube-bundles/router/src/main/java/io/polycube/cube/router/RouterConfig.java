package io.polycube.cube.router;

import io.polycube.core.spi.ConfigNode;
import io.polycube.core.spi.CubeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One router instance's configuration, validated: what YANG cannot say (addresses that are no host
 * address, overlapping subnets, next hops off every connected subnet) is refused here with the reason,
 * before anything reaches the kernel.
 */
record RouterConfig(List<Port> ports, List<Route> routes, List<Integer> staticNeighbours, int arpTimeoutMs,
        int arpQueueLength) {

    /** An address of a port with its subnet. */
    record Address(int ip, int prefixLength) {
        int network() {
            return ip & Ipv4.mask(prefixLength);
        }

        boolean contains(int address) {
            return (address & Ipv4.mask(prefixLength)) == network();
        }

        /** Two subnets overlap when the shorter prefix holds the other's network. */
        boolean overlaps(Address other) {
            int shorter = Math.min(prefixLength, other.prefixLength);
            return (network() & Ipv4.mask(shorter)) == (other.network() & Ipv4.mask(shorter));
        }

        @Override
        public String toString() {
            return Ipv4.format(ip) + "/" + prefixLength;
        }
    }

    /** A port with its data-path index, MAC and addresses (primary first; none: the port drops). */
    record Port(String name, int index, byte[] mac, List<Address> addresses) {
        Optional<Address> addressFor(int neighbour) {
            return addresses.stream().filter(a -> a.contains(neighbour)).findFirst();
        }
    }

    record Route(int network, int prefixLength, int nexthop) {
    }

    static RouterConfig parse(ConfigNode config, String instance, Function<String, OptionalInt> portIndex)
            throws CubeException {
        List<Port> ports = new ArrayList<>();
        for (ConfigNode p : config.list("ports")) {
            String name = p.leaf("name").orElseThrow();
            int index = portIndex.apply(name).orElseThrow(() -> CubeException.invalid("port " + name + " has no index"));
            List<Address> addresses = new ArrayList<>();
            Optional<String> ip = p.leaf("ip");
            if (ip.isPresent()) {
                addresses.add(address(name, ip.get(), p.leaf("prefix-length").orElse("24")));
            } else if (!p.list("secondary").isEmpty()) {
                throw CubeException.invalid("port " + name + " has secondary addresses but no ip");
            }
            for (ConfigNode s : p.list("secondary")) {
                addresses.add(address(name, s.leaf("ip").orElseThrow(), s.leaf("prefix-length").orElse("24")));
            }
            byte[] mac = p.leaf("mac").map(RouterConfig::mac).orElseGet(() -> derivedMac(instance, name));
            if ((mac[0] & 1) != 0 || java.util.Arrays.equals(mac, new byte[6])) {
                throw CubeException.invalid("port " + name + ": mac " + p.leaf("mac").orElse("") + " is not a unicast address");
            }
            ports.add(new Port(name, index, mac, List.copyOf(addresses)));
        }
        checkOverlaps(ports);
        List<Route> routes = new ArrayList<>();
        for (ConfigNode r : config.list("route")) {
            routes.add(route(r.leaf("network").orElseThrow(), r.leaf("nexthop").orElseThrow(), ports));
        }
        List<Integer> neighbours = new ArrayList<>();
        for (ConfigNode a : config.list("arp-entry")) {
            String address = a.leaf("address").orElseThrow();
            int ip = Ipv4.parse(address);
            if (onPort(ports, ip).isEmpty()) {
                throw CubeException.invalid("static ARP entry " + address + " is not on a connected subnet");
            }
            neighbours.add(ip);
        }
        return new RouterConfig(List.copyOf(ports), List.copyOf(routes), List.copyOf(neighbours),
            Integer.parseInt(config.leaf("arp-timeout-ms").orElse("1000")),
            Integer.parseInt(config.leaf("arp-queue-length").orElse("64")));
    }

    /** The port whose connected subnet holds {@code address}. */
    static Optional<Port> onPort(List<Port> ports, int address) {
        return ports.stream().filter(p -> p.addressFor(address).isPresent()).findFirst();
    }

    Optional<Port> port(int index) {
        return ports.stream().filter(p -> p.index() == index).findFirst();
    }

    Optional<Port> port(String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Address address(String port, String ip, String prefixLength) throws CubeException {
        Address a = new Address(Ipv4.parse(ip), Integer.parseInt(prefixLength));
        int first = a.ip() >>> 24;
        if (first == 0 || first == 127 || first >= 224) {
            throw CubeException.invalid("address " + a + " of port " + port + " is not a unicast host address");
        }
        if (a.prefixLength() <= 30 && (a.ip() == a.network() || a.ip() == (a.network() | ~Ipv4.mask(a.prefixLength())))) {
            throw CubeException.invalid("address " + a + " of port " + port + " is the "
                + (a.ip() == a.network() ? "network" : "broadcast") + " address of its subnet");
        }
        return a;
    }

    private static void checkOverlaps(List<Port> ports) throws CubeException {
        List<String> owners = new ArrayList<>();
        List<Address> seen = new ArrayList<>();
        for (Port p : ports) {
            for (Address a : p.addresses()) {
                for (int i = 0; i < seen.size(); i++) {
                    if (seen.get(i).overlaps(a)) {
                        throw CubeException.invalid("address " + a + " of port " + p.name() + " overlaps "
                            + seen.get(i) + " of port " + owners.get(i));
                    }
                }
                seen.add(a);
                owners.add(p.name());
            }
        }
    }

    private static Route route(String network, String nexthop, List<Port> ports) throws CubeException {
        int slash = network.indexOf('/');
        int net = Ipv4.parse(network.substring(0, slash));
        int length = Integer.parseInt(network.substring(slash + 1));
        if ((net & ~Ipv4.mask(length)) != 0) {
            throw CubeException.invalid("route " + network + ": host bits set (network "
                + Ipv4.format(net & Ipv4.mask(length)) + "/" + length + ")");
        }
        int hop = Ipv4.parse(nexthop);
        for (Port p : ports) {
            for (Address a : p.addresses()) {
                if (a.ip() == hop) {
                    throw CubeException.invalid("next hop " + nexthop + " of route " + network + " is the router's own address");
                }
                if (length >= a.prefixLength() && a.contains(net)) {
                    throw CubeException.invalid("route " + network + " lies inside the connected subnet "
                        + Ipv4.format(a.network()) + "/" + a.prefixLength() + " of port " + p.name());
                }
            }
        }
        if (onPort(ports, hop).isEmpty()) {
            throw CubeException.invalid("next hop " + nexthop + " of route " + network + " is not on a connected subnet");
        }
        return new Route(net, length, hop);
    }

    static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    /** A stable, locally administered unicast MAC for a port without one configured. */
    static byte[] derivedMac(String instance, String port) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((instance + "/" + port).getBytes(StandardCharsets.UTF_8));
            byte[] mac = java.util.Arrays.copyOf(h, 6);
            mac[0] = (byte) (mac[0] & 0xfc | 0x02);
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
