package io.polycube.itest.brokencubes;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeControl;
import io.polycube.core.spi.CubeType;
import io.polycube.core.spi.PacketIn;
import java.util.concurrent.CountDownLatch;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A cube type whose data path sends every packet to the slow path, where the handler never returns
 * (interrupts ignored) until the component goes away: the slow path that blocks forever.
 */
@Component(service = CubeType.class)
public final class StuckType implements CubeType {
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public String name() {
        return "stuck";
    }

    @Override
    public CubeControl create(CubeContext context) {
        return new CubeControl() {
            @Override
            public void packetIn(PacketIn packet) {
                boolean interrupted = false;
                while (released.getCount() > 0) {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Deactivate
    void release() {
        released.countDown();
    }
}
