package io.polycube.core.spi;

/** Levels of a cube's log, as the {@code pcn-base} loglevel enumeration and {@code pcn/log.h}. */
public enum LogLevel {
    OFF(0),
    CRITICAL(1),
    ERR(2),
    WARN(3),
    INFO(4),
    DEBUG(5),
    TRACE(6);

    private final int code;

    LogLevel(int code) {
        this.code = code;
    }

    /** The value of the data path's {@code LOG_*} constant. */
    public int code() {
        return code;
    }

    public static LogLevel ofCode(int code) {
        for (LogLevel level : values()) {
            if (level.code == code) {
                return level;
            }
        }
        throw new IllegalArgumentException("no log level " + code);
    }

    /** Whether a message at {@code level} passes when this is the configured level. */
    public boolean admits(LogLevel level) {
        return level != OFF && level.code <= code;
    }
}
