package io.polycube.core.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a system tool (iproute2) with a timeout; for the few netdev operations done without rtnetlink. */
final class Shell {
    private static final long TIMEOUT_S = 20;

    private Shell() {
    }

    /** Runs the command; returns its exit code (-1 if it could not run or timed out). Never throws. */
    static int run(String... command) {
        try {
            return exec(command).exit;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Runs the command; throws with its output unless it exits 0. */
    static void check(String... command) throws IOException {
        Outcome outcome = exec(command);
        if (outcome.exit != 0) {
            throw new IOException(String.join(" ", command) + " exited " + outcome.exit + ": " + outcome.output.trim());
        }
    }

    private record Outcome(int exit, String output) {
    }

    private static Outcome exec(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(-1, "timed out");
            }
            // the tools used here print a few lines at most, so the pipe never fills before exit
            return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
