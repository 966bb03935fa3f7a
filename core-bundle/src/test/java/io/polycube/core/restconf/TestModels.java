package io.polycube.core.restconf;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** The real models, parsed once per test JVM (parsing costs about a second cold). */
final class TestModels {
    private static EffectiveModelContext context;
    private static YangModels models;

    private TestModels() {
    }

    static Path yangDir() {
        String dir = System.getProperty("pcn.yang.dir");
        Path path = dir != null ? Path.of(dir) : Path.of("..", "yang-models", "src", "main", "yang");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("YANG models not found at " + path.toAbsolutePath());
        }
        return path;
    }

    static URL module(String file) {
        try {
            return yangDir().resolve(file).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    static URL testModule(String file) {
        return TestModels.class.getClassLoader().getResource("yang-test/" + file);
    }

    static synchronized YangModels models() throws YangModelException {
        if (models == null) {
            models = new YangModels();
            models.addModule("pcn-simplefwd", module("pcn-simplefwd.yang"));
            context = models.addModule("pcn-testkeys", testModule("pcn-testkeys.yang"));
        }
        return models;
    }

    static synchronized EffectiveModelContext context() throws YangModelException {
        models();
        return context;
    }
}
