package io.polycube.core.impl;

import io.polycube.core.spi.CubeContext;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.DataplaneCode;
import io.polycube.core.spi.HookType;
import io.polycube.core.spi.LogLevel;
import io.polycube.dataplane.api.BpfObject;
import java.util.Arrays;
import java.util.OptionalInt;
import org.slf4j.Logger;

/** What a cube's control plane sees of its instance. */
final class InstanceContext implements CubeContext {
    private final CubeInstance instance;
    private final Logger logger;

    InstanceContext(CubeInstance instance, Logger logger) {
        this.instance = instance;
        this.logger = logger;
    }

    @Override
    public String instanceName() {
        return instance.name();
    }

    @Override
    public HookType hook() {
        return instance.hook();
    }

    @Override
    public BpfObject dataplane() {
        return instance.master();
    }

    @Override
    public OptionalInt portIndex(String portName) {
        return instance.ports().index(portName);
    }

    @Override
    public java.util.Optional<io.polycube.core.spi.PortCounters> portCounters(String portName) {
        return instance.ports().counters(portName);
    }

    @Override
    public void sendPacketOut(String port, io.polycube.core.api.Direction dir, byte[] frame) throws CubeException {
        instance.sendPacketOut(port, dir, frame);
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public void reload(int index, DataplaneCode code) throws CubeException {
        // Through the manager, which re-points the other cubes at a new MASTER (and takes its lock first).
        instance.reloader().reload(instance.name(), index, code);
    }

    @Override
    public void log(LogLevel level, String format, Object... args) {
        if (instance.logLevel().admits(level)) {
            emit(level, LogFormatter.format(format, Arrays.asList(args), this::portName));
        }
    }

    /**
     * A formatted line from the data path or from Java. The instance's loglevel has already filtered
     * it, so DEBUG and TRACE lines go out at slf4j INFO (tagged with their level) rather than being
     * dropped again by the container's logger configuration.
     */
    void emit(LogLevel level, String message) {
        switch (level) {
            case CRITICAL, ERR -> logger.error("[{}] {}", level, message);
            case WARN -> logger.warn("[{}] {}", level, message);
            case OFF -> { }
            default -> logger.info("[{}] {}", level, message);
        }
    }

    String portName(int index) {
        return instance.ports().nameOf(index).orElse("#" + index);
    }
}
