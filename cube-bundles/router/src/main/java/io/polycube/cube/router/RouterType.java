package io.polycube.cube.router;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The router cube type, published to the core's whiteboard. Its one timer thread serves the ARP
 * timeouts of every router instance (no thread per instance).
 */
@Component(service = CubeType.class)
public final class RouterType implements CubeType {
    private final ScheduledExecutorService timer;

    @Activate
    public RouterType() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pcn-router-arp");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "router";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new Router(context, timer);
    }

    @Deactivate
    public void close() {
        timer.shutdownNow();
    }
}
