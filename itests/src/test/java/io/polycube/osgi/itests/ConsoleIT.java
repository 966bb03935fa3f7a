// SPDX-License-Identifier: Apache-2.0
// This file contains the end-to-end tests of the pcn: console: commands and completion through the real Karaf shell.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The console builds and changes real topologies: namespaces {@code <prefix>1} (10.202.0.1) and
 * {@code <prefix>2} (10.202.0.2), each with a veth to the root namespace, connected only through cubes
 * made with {@code pcn:} commands. Completion is asked of each command's own completer, as the shell does
 * on TAB. Refused commands print the server's RFC 8040 reason and change nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleIT extends PcnTestSupport {
    private static final String PREFIX = topologyPrefix(ConsoleIT.class);
    private static final String NS_A = PREFIX + "1";
    private static final String NS_B = PREFIX + "2";
    private static final String IP_A = "10.202.0.1";
    private static final String IP_B = "10.202.0.2";
    private static final String DEV_A = NS_A + "a";
    private static final String DEV_B = NS_B + "a";
    private static final String DATA = "/restconf/data";

    private static Netns a;
    private static Netns b;

    @Override
    protected Option[] additionalOptions() {
        return sharedTopology(ConsoleIT.class, PREFIX, "1", "2");
    }

    private static synchronized void topology() {
        if (a == null) {
            a = Netns.named(NS_A).addAddress(IP_A + "/24");
            b = Netns.named(NS_B).addAddress(IP_B + "/24");
        }
    }

    private void ready() {
        topology();
        http().awaitReachable(DATA, DEFAULT_TIMEOUT);
        executeCommand("pcn:show");
    }

    /** Runs a command that must fail; returns the messages of the failure (Karaf prints the first). */
    private String refused(String command) {
        try {
            String out = executeCommand(command);
            fail("'" + command + "' should have failed, printed: " + out);
            return null;
        } catch (AssertionError e) {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                sb.append(t.getMessage()).append('\n');
            }
            return sb.toString();
        }
    }

    /** The candidates the shell would offer on TAB at the end of {@code line}, from the command's completer. */
    private List<String> complete(String line) {
        // As an admin: the pcn: command ACL hides commands from a subject without the role (TAB as a user does).
        javax.security.auth.Subject admin = new javax.security.auth.Subject();
        admin.getPrincipals().addAll(List.of(new org.apache.karaf.jaas.boot.principal.UserPrincipal("karaf"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("admin")));
        return javax.security.auth.Subject.doAs(admin, (java.security.PrivilegedAction<List<String>>) () -> completeAs(line));
    }

    private List<String> completeAs(String line) {
        String[] words = line.split(" ", -1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session session = sessionFactory.create(System.in, out, out)) {
            Command command = session.getRegistry().getCommands().stream()
                    .filter(c -> (c.getScope() + ":" + c.getName()).equals(words[0]))
                    .findFirst().orElseThrow(() -> new AssertionError("no command " + words[0]));
            CommandLine commandLine = new CommandLine() {
                @Override
                public int getCursorArgumentIndex() {
                    return words.length - 1;
                }

                @Override
                public String getCursorArgument() {
                    return words[words.length - 1];
                }

                @Override
                public int getArgumentPosition() {
                    return words[words.length - 1].length();
                }

                @Override
                public String[] getArguments() {
                    return words;
                }

                @Override
                public int getBufferPosition() {
                    return line.length();
                }

                @Override
                public String getBuffer() {
                    return line;
                }
            };
            List<Candidate> candidates = new ArrayList<>();
            command.getCompleter(false).completeCandidates(session, commandLine, candidates);
            return candidates.stream().map(Candidate::value).toList();
        }
    }

    private static int received(Netns from, String ip) {
        var m = java.util.regex.Pattern.compile("(\\d+) received").matcher(from.ping(ip, 3).output());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** A forwarder and a protocol filter made, changed and removed with console commands only; pings tell. */
    @Test
    public void commandsBuildAForwarderAndAFilterThatTrafficCrosses() {
        ready();
        assertEquals("namespaces must be disconnected without a cube", 0, received(a, IP_B));
        try {
            executeCommand("pcn:add simplefwd cfwd type=TC");
            executeCommand("pcn:add cfwd ports pa");
            executeCommand("pcn:add cfwd ports pb");
            executeCommand("pcn:connect cfwd:pa " + DEV_A);
            executeCommand("pcn:connect cfwd:pb " + DEV_B);
            executeCommand("pcn:add cfwd actions pa action=FORWARD outport=pb");
            executeCommand("pcn:add cfwd actions pb action=FORWARD outport=pa");
            assertEquals("pings cross the cube made by the console", 3, received(a, IP_B));

            String all = executeCommand("pcn:show");
            assertTrue(all, all.lines().anyMatch(l -> l.contains("cfwd") && l.contains("simplefwd")
                    && l.contains("pa > " + DEV_A + " UP") && l.contains("pb > " + DEV_B + " UP")));
            String ports = executeCommand("pcn:show cfwd ports");
            assertTrue(ports, ports.lines().anyMatch(l -> l.matches("pa\\s*\\|\\s*" + DEV_A + "\\s*\\|\\s*UP\\s*\\|.*")));
            assertEquals(http().get(DATA + "/pcn-simplefwd:simplefwd=cfwd/actions=pa").body().trim(),
                    executeCommand("pcn:show --json cfwd actions pa").trim());

            executeCommand("pcn:set cfwd actions pa action=DROP");
            assertEquals(0, received(a, IP_B));
            executeCommand("pcn:set cfwd actions pa action=FORWARD");
            assertEquals(3, received(a, IP_B));

            executeCommand("pcn:add protofilter cpf drop-protocol=17");
            executeCommand("pcn:attach --position first cpf cfwd:pa");
            assertContains(executeCommand("pcn:show"), "cfwd:pa INGRESS first");
            long udp = Traffic.udpArrivals(NS_A, NS_B, IP_B);
            assertEquals("UDP entering cfwd on pa is dropped", 0, udp);
            assertEquals("ICMP is not filtered", 3, received(a, IP_B));
            executeCommand("pcn:add cpf drop-protocol 1");
            assertEquals("ICMP is filtered too", 0, received(a, IP_B));
            executeCommand("pcn:detach cpf");
            assertEquals(3, received(a, IP_B));
            udp = Traffic.udpArrivals(NS_A, NS_B, IP_B);
            assertEquals("after detach UDP passes", 50, udp);

            executeCommand("pcn:disconnect cfwd:pb");
            assertEquals(0, received(a, IP_B));
            assertEquals(404, http().get(DATA + "/pcn-simplefwd:simplefwd=cfwd/ports=pb/peer").status());
        } finally {
            http().delete(DATA + "/pcn-protofilter:protofilter=cpf");
            http().delete(DATA + "/pcn-simplefwd:simplefwd=cfwd");
        }
        executeCommand("pcn:add protofilter cpf2");
        executeCommand("pcn:del cpf2");
        assertEquals(404, http().get(DATA + "/pcn-protofilter:protofilter=cpf2").status());
    }

    /** connect between two cube ports sets both ends in one transaction: the link comes up; disconnect clears both. */
    @Test
    public void connectingTwoCubePortsBringsTheLinkUp() {
        ready();
        try {
            for (String[] cube : new String[][] {{"ca", "pa", DEV_A}, {"cb", "pb", DEV_B}}) {
                executeCommand("pcn:add simplefwd " + cube[0]);
                executeCommand("pcn:add " + cube[0] + " ports " + cube[1] + " peer=" + cube[2]);
                executeCommand("pcn:add " + cube[0] + " ports link");
                executeCommand("pcn:add " + cube[0] + " actions " + cube[1] + " action=FORWARD outport=link");
                executeCommand("pcn:add " + cube[0] + " actions link action=FORWARD outport=" + cube[1]);
            }
            assertEquals(0, received(a, IP_B));
            executeCommand("pcn:connect ca:link cb:link");
            assertContains(http().get(DATA + "/pcn-simplefwd:simplefwd=cb/ports=link/peer").body(), "ca:link");
            String all = executeCommand("pcn:show");
            assertTrue(all, all.contains("link > cb:link UP") && all.contains("link > ca:link UP"));
            assertEquals("pings cross both cubes", 3, received(a, IP_B));
            executeCommand("pcn:disconnect cb:link");
            assertEquals(404, http().get(DATA + "/pcn-simplefwd:simplefwd=ca/ports=link/peer").status());
            assertEquals(404, http().get(DATA + "/pcn-simplefwd:simplefwd=cb/ports=link/peer").status());
            assertEquals(0, received(a, IP_B));
        } finally {
            executeCommand("pcn:del ca");
            executeCommand("pcn:del cb");
        }
    }

    /** Refused commands print the reason RESTCONF would give and leave the configuration as it was. */
    @Test
    public void invalidCommandsPrintTheReasonAndChangeNothing() {
        ready();
        try {
            executeCommand("pcn:add simplefwd bad1");
            executeCommand("pcn:add bad1 ports p1");
            String before = executeCommand("pcn:show --json");
            assertContains(before, "\"name\":\"bad1\"");

            assertContains(refused("pcn:add nosuchtype x1"), "no cube type or instance 'nosuchtype'");
            assertContains(refused("pcn:add simplefwd bad2 type=XDP_FOO"), "400 invalid-value");
            assertContains(refused("pcn:set bad1 loglevel=LOUD"), "400 invalid-value");
            String netdev = refused("pcn:connect bad1:p1 pcnnosuch0");
            assertContains(netdev, "400 invalid-value");
            assertContains(netdev, "pcnnosuch0");
            assertContains(refused("pcn:add bad1 actions p9 action=FORWARD outport=p1"), "400");
            assertContains(refused("pcn:add bad1 ports p1"), "409 data-exists");
            assertContains(refused("pcn:set bad1 colour=red"), "no leaf 'colour'");
            assertContains(refused("pcn:detach bad1"), "not a transparent cube");

            assertEquals(before, executeCommand("pcn:show --json"));
            assertEquals(404, http().get(DATA + "/pcn-simplefwd:simplefwd=bad2").status());
        } finally {
            http().delete(DATA + "/pcn-simplefwd:simplefwd=bad1");
        }
    }

    /** TAB offers cube types, instances, ports, leaf names along the YANG path, enum values and netdevs. */
    @Test
    public void completionFollowsTheModelAndTheData() {
        ready();
        try {
            executeCommand("pcn:add simplefwd tab1");
            executeCommand("pcn:add tab1 ports p1");
            executeCommand("pcn:add protofilter tabpf");
            List<String> types = complete("pcn:add ");
            assertTrue(types.toString(), types.containsAll(List.of("simplefwd", "protofilter", "tab1")));
            assertEquals(List.of("tab1", "tabpf"), complete("pcn:show ta"));
            assertEquals(List.of("tab1:p1"), complete("pcn:connect tab"));
            List<String> leaves = complete("pcn:set tab1 ");
            assertTrue(leaves.toString(), leaves.containsAll(List.of("type=", "loglevel=", "ports", "actions")));
            assertEquals(List.of("loglevel=DEBUG"), complete("pcn:set tab1 loglevel=DE"));
            assertEquals(List.of("action=DROP", "action=SLOWPATH", "action=FORWARD"),
                    complete("pcn:add tab1 actions p1 action="));
            assertEquals(List.of("p1"), complete("pcn:del tab1 ports "));
            assertTrue(complete("pcn:connect tab1:p1 ").containsAll(List.of(DEV_A, DEV_B)));
            assertEquals(List.of("tabpf"), complete("pcn:attach tab"));
            assertEquals(List.of("EGRESS", "INGRESS"), complete("pcn:attach --direction ").stream()
                    .sorted().toList());
            assertFalse(complete("pcn:show tab1 ports p1 ").isEmpty());
        } finally {
            executeCommand("pcn:del tab1");
            executeCommand("pcn:del tabpf");
        }
    }

    /**
     * Runs a command as a user holding only {@code roles} (the shell checks the subject of the call against
     * {@code etc/org.apache.karaf.command.acl.pcn.cfg}); returns its output, or the refusal as a Throwable.
     */
    private Object runAs(String command, String... roles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.UserPrincipal("reader"));
        for (String role : roles) {
            subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.RolePrincipal(role));
        }
        try (Session session = sessionFactory.create(System.in, out, out)) {
            Object value = javax.security.auth.Subject.doAs(subject,
                    (java.security.PrivilegedExceptionAction<Object>) () -> session.execute(command));
            return bytes.toString(StandardCharsets.UTF_8) + (value == null ? "" : value);
        } catch (java.security.PrivilegedActionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** A user with only the viewer role may show, never change: every other pcn: command is refused by the ACL. */
    @Test
    public void aViewerMayShowButChangeNothing() {
        ready();
        try {
            executeCommand("pcn:add simplefwd acl1");
            executeCommand("pcn:add acl1 ports p1");
            executeCommand("pcn:add protofilter aclpf");
            String config = http().get(DATA + "?content=config").body();
            Object shown = runAs("pcn:show", "viewer");
            assertTrue("a viewer may run pcn:show: " + shown, shown instanceof String && ((String) shown).contains("acl1"));
            Object listed = runAs("pcn:list", "viewer");
            assertTrue("a viewer may run pcn:list: " + listed, listed instanceof String);
            for (String command : List.of("pcn:add simplefwd acl2", "pcn:set acl1 loglevel=DEBUG", "pcn:del acl1",
                    "pcn:connect acl1:p1 " + DEV_A, "pcn:disconnect acl1:p1", "pcn:attach aclpf acl1:p1",
                    "pcn:detach aclpf", "pcn:reload acl1 0 /nonexistent.c")) {
                Object refused = runAs(command, "viewer");
                assertTrue(command + " must be refused to a viewer, got: " + refused, refused instanceof Throwable);
                String reason = String.valueOf(refused);
                assertTrue(command + ": refused by the ACL, not for another reason: " + reason,
                        refused instanceof SecurityException || reason.contains("Insufficient credentials")
                        || refused.getClass().getSimpleName().equals("CommandNotFoundException"));
                assertEquals(command + " changed the configuration", config, http().get(DATA + "?content=config").body());
            }
            Object byAdmin = runAs("pcn:set acl1 loglevel=DEBUG", "admin");
            assertFalse("an admin may change: " + byAdmin, byAdmin instanceof Throwable);
        } finally {
            executeCommand("pcn:del aclpf");
            executeCommand("pcn:del acl1");
        }
    }
}
