package io.polycube.dataplane.api;

/** TC hook direction on the clsact qdisc. */
public enum TcDirection {
    INGRESS(1), EGRESS(2);

    private final int attachPoint;

    TcDirection(int attachPoint) {
        this.attachPoint = attachPoint;
    }

    /** The {@code enum bpf_tc_attach_point} value. */
    public int attachPoint() {
        return attachPoint;
    }
}
