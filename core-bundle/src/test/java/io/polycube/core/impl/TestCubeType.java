package io.polycube.core.impl;

import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.HookType;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;

/** A cube type for kernel tests: its data path is a test program built into target/test-classes/bpf. */
abstract class TestCubeType implements CubeType {
    private final String name;
    private final String object;

    TestCubeType(String name, String object) {
        this.name = name;
        this.object = object;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URL yangModule() {
        throw new UnsupportedOperationException("kernel tests bypass RESTCONF");
    }

    @Override
    public URL dataplane(HookType hook) {
        try {
            return Path.of("target/test-classes/bpf/" + object + "." + (hook.isXdp() ? "xdp" : "tc") + ".o").toUri()
                .toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
