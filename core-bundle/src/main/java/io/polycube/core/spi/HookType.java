package io.polycube.core.spi;

/** The kernel hook a cube's data path runs on; names as in the {@code pcn-base} YANG enumeration. */
public enum HookType {
    TC,
    XDP_SKB,
    XDP_DRV;

    public boolean isXdp() {
        return this != TC;
    }
}
