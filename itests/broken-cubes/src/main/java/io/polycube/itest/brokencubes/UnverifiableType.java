package io.polycube.itest.brokencubes;

import io.polycube.core.spi.CubeType;
import org.osgi.service.component.annotations.Component;

/** A cube type that registers, but whose data path (/bpf/unverifiable.*.o) the verifier refuses. */
@Component(service = CubeType.class)
public final class UnverifiableType implements CubeType {
    @Override
    public String name() {
        return "unverifiable";
    }
}
