package io.polycube.cube.protofilter;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import org.osgi.service.component.annotations.Component;

/** The protofilter cube type: transparent, published to the core's whiteboard. */
@Component(service = CubeType.class)
public final class ProtoFilterType implements CubeType {

    @Override
    public String name() {
        return "protofilter";
    }

    @Override
    public boolean transparent() {
        return true;
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new ProtoFilter(context);
    }
}
