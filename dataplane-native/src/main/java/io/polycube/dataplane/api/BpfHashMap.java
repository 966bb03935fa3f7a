package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;

/** A hash-like map (HASH, LRU_HASH, LPM_TRIE); the byte[] API of {@link BpfMap} is all it needs. */
public final class BpfHashMap extends BpfMap {
    BpfHashMap(Info info, Lifecycle owner) {
        super(info, owner);
    }
}
