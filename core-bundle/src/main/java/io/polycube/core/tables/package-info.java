/**
 * Zero-code tables: YANG lists bound to eBPF maps with {@code base:map}, laid out from the maps'
 * BTF, kept equal to the datastore and read back for config-false leaves. Private to the core.
 */
package io.polycube.core.tables;
