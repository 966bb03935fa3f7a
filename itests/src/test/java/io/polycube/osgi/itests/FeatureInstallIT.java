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

/** Boots polycubed without pcn-simplefwd, then installs it with {@code feature:install}. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureInstallIT extends PcnTestSupport {

    @Override
    protected Set<String> excludedBootFeatures() {
        return Set.of("pcn-simplefwd");
    }

    @Test
    public void installSimplefwdFromTheConsole() {
        assertTrue("pcn-core must be booted", isInstalled("pcn-core"));
        assertFalse("pcn-simplefwd must not be booted", isInstalled("pcn-simplefwd"));

        installAndAssertFeature("pcn-simplefwd");

        assertBundleActive("io.polycube.cube.simplefwd");
        String out = executeCommand("feature:list -i");
        assertTrue(out, out.lines().anyMatch(l -> l.startsWith("pcn-simplefwd ") && l.contains("Started")));
    }
}
