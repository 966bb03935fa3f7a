package io.polycube.itest.brokencubes;

import io.polycube.core.spi.CubeType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** A cube type whose component never comes up: its activation throws. */
@Component(service = CubeType.class)
public final class ThrowingType implements CubeType {
    /** What the itest expects polycubed to report. */
    public static final String REASON = "broken on purpose: this cube type's activation throws";

    @Activate
    public ThrowingType() {
        throw new IllegalStateException(REASON);
    }

    @Override
    public String name() {
        return "throwing";
    }
}
