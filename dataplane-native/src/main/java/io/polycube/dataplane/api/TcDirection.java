package io.polycube.dataplane.api;

/** TC hook direction: a TCX hook, or the clsact qdisc's on kernels without TCX. */
public enum TcDirection {
    INGRESS(1, 46), EGRESS(2, 47);

    private final int attachPoint;
    private final int tcxAttachType;

    TcDirection(int attachPoint, int tcxAttachType) {
        this.attachPoint = attachPoint;
        this.tcxAttachType = tcxAttachType;
    }

    /** The {@code enum bpf_attach_type} value of the TCX hook: BPF_TCX_INGRESS (46), BPF_TCX_EGRESS (47). */
    public int tcxAttachType() {
        return tcxAttachType;
    }

    /** The {@code enum bpf_tc_attach_point} value. */
    public int attachPoint() {
        return attachPoint;
    }
}
