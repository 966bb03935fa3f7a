package io.polycube.core.tables;

/** A table binding that cannot work: the YANG list and the map's C types do not match. */
public final class TableException extends Exception {
    private static final long serialVersionUID = 1L;

    TableException(String message) {
        super(message);
    }
}
