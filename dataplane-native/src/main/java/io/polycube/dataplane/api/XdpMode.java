package io.polycube.dataplane.api;

/** XDP attach mode: generic (skb) or native (driver). */
public enum XdpMode {
    SKB(2), DRV(4);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The {@code XDP_FLAGS_*_MODE} bit. */
    public int flag() {
        return flag;
    }
}
