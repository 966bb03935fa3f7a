package io.polycube.cube.bridge;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** The bridge (802.1Q) cube type; one aging thread serves all its instances. */
@Component(service = CubeType.class)
public final class BridgeType implements CubeType {
    private final ScheduledExecutorService aging = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pcn-bridge-aging");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new Bridge(context, aging);
    }

    @Deactivate
    public void close() {
        aging.shutdownNow();
    }
}
