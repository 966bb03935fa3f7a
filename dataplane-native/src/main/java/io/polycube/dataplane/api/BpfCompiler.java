package io.polycube.dataplane.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles eBPF C at runtime (user-supplied µCube code) with the same script and headers the build
 * uses, both shipped in this bundle and unpacked once into a private temporary directory.
 */
public final class BpfCompiler {
    /** The framework headers under {@code include/pcn/}; BpfCompilerTest checks the list is complete. */
    static final List<String> HEADERS = List.of("consts.h", "cube.h", "entry.h", "flood.h", "helpers.h", "hook.h", "log.h",
        "maps.h", "patch.h", "structs.h");
    private static final long TIMEOUT_SECONDS = 120;
    private static Path toolchain;

    private BpfCompiler() {
    }

    /** Compiles {@code source} with {@code -D} {@code defines} (e.g. {@code PCN_HOOK_XDP}) into an ELF object. */
    public static byte[] compile(String source, List<String> defines) throws BpfException {
        Path dir = null;
        try {
            Path cc = toolchain().resolve("bpf-cc");
            dir = Files.createTempDirectory("pcn-ucube");
            Path src = Files.writeString(dir.resolve("ucube.bpf.c"), source);
            Path out = dir.resolve("ucube.o");
            List<String> command = new ArrayList<>(List.of("sh", cc.toString()));
            defines.forEach(d -> command.add("-D" + d));
            command.addAll(List.of("-c", src.toString(), "-o", out.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BpfException("clang did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new CompileException("eBPF C does not compile: " + firstError(output), output);
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new BpfException("cannot run the eBPF compiler: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BpfException("interrupted while compiling eBPF C");
        } finally {
            deleteTree(dir);
        }
    }

    private static String firstError(String output) {
        return output.lines().filter(l -> l.contains("error:")).findFirst()
            .map(l -> l.replaceFirst("^.*?ucube\\.bpf\\.c:", "line ")).orElse(output.strip());
    }

    private static synchronized Path toolchain() throws IOException {
        if (toolchain == null) {
            Path dir = Files.createTempDirectory("pcn-bpf-cc");
            copy("bpf-cc", dir.resolve("bpf-cc"));
            for (String header : HEADERS) {
                copy("include/pcn/" + header, Files.createDirectories(dir.resolve("include/pcn")).resolve(header));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "pcn-bpf-cc-cleanup"));
            toolchain = dir;
        }
        return toolchain;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = BpfCompiler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " missing from the bundle");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary file is harmless.
        }
    }
}
