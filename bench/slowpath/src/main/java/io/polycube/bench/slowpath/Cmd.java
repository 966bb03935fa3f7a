package io.polycube.bench.slowpath;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs iproute2 and friends for the benchmark's veths. */
final class Cmd {
    private Cmd() {
    }

    static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void check(String... command) {
        if (!run(command)) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }
}
