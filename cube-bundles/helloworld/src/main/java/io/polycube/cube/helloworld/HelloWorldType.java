package io.polycube.cube.helloworld;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import org.osgi.service.component.annotations.Component;

/**
 * The helloworld cube type. Its YANG module and data path are found by name in this bundle
 * ({@code /yang/pcn-helloworld.yang}, {@code /bpf/helloworld.{xdp,tc}.o}); its table is the core's work.
 */
@Component(service = CubeType.class)
public final class HelloWorldType implements CubeType {

    @Override
    public String name() {
        return "helloworld";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new HelloWorld(context);
    }
}
