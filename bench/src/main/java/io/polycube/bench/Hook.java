package io.polycube.bench;

/** Where a device under test runs; names the metric prefix. */
public enum Hook {
    XDP("xdp"), TC("tc");

    private final String prefix;

    Hook(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
