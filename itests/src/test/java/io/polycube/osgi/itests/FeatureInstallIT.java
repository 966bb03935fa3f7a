// SPDX-License-Identifier: Apache-2.0
// This file contains the test that a cube feature installs from the console into a running polycubed.
package io.polycube.osgi.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Boots polycubed without pcn-simplefwd, installs it with {@code feature:install}, serves an instance,
 * then uninstalls it: its YANG module is gone from RESTCONF at once, the instance's program keeps forwarding
 * as an orphan for the grace period (4 s here), then it is detached.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureInstallIT extends PcnTestSupport {

    private static final int GRACE_SECONDS = 4;

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-simplefwd");
    }

    @Override
    protected org.ops4j.pax.exam.Option[] additionalOptions() {
        return new org.ops4j.pax.exam.Option[] {org.ops4j.pax.exam.CoreOptions.systemProperty("pcn.orphan.grace.seconds")
                .value(Integer.toString(GRACE_SECONDS))};
    }

    @Test
    public void installSimplefwdFromTheConsole() {
        assertTrue("pcn-core must be booted", isInstalled("pcn-core"));
        assertFalse("pcn-simplefwd must not be booted", isInstalled("pcn-simplefwd"));

        installAndAssertFeature("pcn-simplefwd");

        assertBundleActive("io.polycube.cube.simplefwd");
        // The feature service can report the install before the console's listing shows it Started (seen
        // once, in a run of three itest classes), so the listing is polled rather than read once.
        waitFor("pcn-simplefwd Started in feature:list -i", DEFAULT_TIMEOUT, () -> executeCommand("feature:list -i")
            .lines().anyMatch(l -> l.startsWith("pcn-simplefwd ") && l.contains("Started")));

        String veth = String.format("pcn%06xf", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000000));
        Netns.runChecked("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p");
        try {
            Netns.runChecked("ip", "link", "set", veth, "up");
            String path = "/restconf/data/pcn-simplefwd:simplefwd=gone";
            waitFor("simplefwd served over RESTCONF", DEFAULT_TIMEOUT, () -> http().get(path).status() == 404);
            Http.Response created = http().put(path, "{\"pcn-simplefwd:simplefwd\":[{\"name\":\"gone\","
                    + "\"ports\":[{\"name\":\"p1\",\"peer\":\"" + veth + "\"}]}]}");
            assertTrue(created.body(), created.status() == 201);
            assertFalse("attached", tcPrograms(veth).isEmpty());

            long uninstalled = System.nanoTime();
            executeCommand("feature:uninstall pcn-simplefwd", java.time.Duration.ofMinutes(2));
            Http.Response after = http().get(path);
            if (System.nanoTime() - uninstalled < java.util.concurrent.TimeUnit.SECONDS.toNanos(GRACE_SECONDS - 1)) {
                assertFalse("an orphan keeps its program during the grace period", tcPrograms(veth).isEmpty());
            }
            waitFor("the instance's program detached", DEFAULT_TIMEOUT, () -> tcPrograms(veth).isEmpty());
            assertTrue(after.status() + " " + after.body(), after.status() >= 400 && after.status() < 500);
            assertTrue(after.body(), after.body().contains("ietf-restconf:errors"));
        } finally {
            Netns.run(Netns.DEFAULT_TIMEOUT, "ip", "link", "del", veth);
        }
    }
}
