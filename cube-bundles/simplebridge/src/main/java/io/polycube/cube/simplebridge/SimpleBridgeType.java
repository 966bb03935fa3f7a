package io.polycube.cube.simplebridge;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** The simplebridge cube type; one aging thread serves all its instances (not one per instance). */
@Component(service = CubeType.class)
public final class SimpleBridgeType implements CubeType {
    private final ScheduledExecutorService aging = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pcn-simplebridge-aging");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String name() {
        return "simplebridge";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new SimpleBridge(context, aging);
    }

    @Deactivate
    public void close() {
        aging.shutdownNow();
    }
}
