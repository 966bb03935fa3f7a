package io.polycube.dataplane.api;

import java.util.List;

/** The kernel verifier rejected a program; carries the whole log, the message is one line. */
public final class VerifierException extends BpfException {
    private static final long serialVersionUID = 1L;

    // Trailing statistics lines say nothing about why the program was rejected.
    private static final List<String> NOISE = List.of("processed ", "verification time", "stack depth",
        "-- END", "-- BEGIN");

    private final String programName;
    private final String verifierLog;

    public VerifierException(String programName, String verifierLog, int errno) {
        super("verifier rejected program " + programName + ": " + summary(verifierLog) + " (errno " + errno + ")",
            errno);
        this.programName = programName;
        this.verifierLog = verifierLog;
    }

    public String programName() {
        return programName;
    }

    /** The full verifier log as the kernel wrote it. */
    public String verifierLog() {
        return verifierLog;
    }

    static String summary(String log) {
        String[] lines = log.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty() && NOISE.stream().noneMatch(line::startsWith)) {
                return line;
            }
        }
        return "(empty verifier log)";
    }
}
