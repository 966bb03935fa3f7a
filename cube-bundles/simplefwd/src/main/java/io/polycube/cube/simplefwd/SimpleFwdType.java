package io.polycube.cube.simplefwd;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import org.osgi.service.component.annotations.Component;

/** The simplefwd cube type, published to the core's whiteboard. */
@Component(service = CubeType.class)
public final class SimpleFwdType implements CubeType {

    @Override
    public String name() {
        return "simplefwd";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new SimpleFwd(context);
    }
}
