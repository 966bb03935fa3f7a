package io.polycube.dataplane.api;

/** Map update semantics ({@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}). */
public enum UpdateMode {
    ANY(0), NOEXIST(1), EXIST(2);

    private final int flag;

    UpdateMode(int flag) {
        this.flag = flag;
    }

    public int flag() {
        return flag;
    }
}
