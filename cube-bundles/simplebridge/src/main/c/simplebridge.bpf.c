/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of simplebridge: a learning L2 switch (filtering database, flooding). */
#include <pcn/cube.h>
#include <pcn/flood.h>

#ifndef FDB_SIZE
#define FDB_SIZE 4096
#endif
/* A learned entry's port and last_seen are rewritten at most this often by one host's traffic. */
#define REFRESH_NS 1000000000ull

struct mac {
    __u8 address[6];
};

/* A learned entry (config-false list "fdb"). last_seen: bpf_ktime_get_ns(), CLOCK_MONOTONIC. */
struct fdb_entry {
    __u32 port;
    __u32 pad;
    __u64 last_seen;
};

/* Written by the control plane (SimpleBridge.java): the aging time and one past the highest port index. */
struct bridge_config {
    __u64 aging_ns;
    __u32 port_bound;
    __u32 pad;
};

/* Counters (config-false list "statistics", summed over CPUs). */
struct bridge_stats {
    __u64 learn_refused; /* new source addresses not learned because the fdb was full */
    __u64 flooded;       /* frames flooded (broadcast, multicast, unknown or aged destination) */
};

/* Learned addresses: MAC -> port, last seen. Read whole by the core (config false); aged out by Java. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, FDB_SIZE);
    __type(key, struct mac);
    __type(value, struct fdb_entry);
} fdb SEC(".maps");

/* Static entries: MAC -> port index. base:map of the config list "static-entries". */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct mac);
    __type(value, __u32);
} static_fdb SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct bridge_config);
} bridge_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct bridge_stats);
} bridge_stats SEC(".maps");

static __always_inline struct bridge_stats *stats(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&bridge_stats, &zero);
}

/* Learns (or moves, or refreshes) the source address on the input port; a full fdb stops learning only. */
static __always_inline void learn(struct mac *src, __u32 in, __u64 now)
{
    struct fdb_entry *e = bpf_map_lookup_elem(&fdb, src);
    if (e) {
        if (e->port != in || now - e->last_seen > REFRESH_NS) {
            e->port = in;
            e->last_seen = now;
        }
        return;
    }
    if (bpf_map_lookup_elem(&static_fdb, src))
        return; /* a static entry is never shadowed by a learned one */
    struct fdb_entry fresh = { .port = in, .last_seen = now };
    if (bpf_map_update_elem(&fdb, src, &fresh, BPF_NOEXIST) == -7 /* E2BIG: full */) {
        struct bridge_stats *s = stats();
        if (s)
            s->learn_refused++;
    }
}

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    void *data = pcn_data(ctx);
    void *data_end = pcn_data_end(ctx);
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return RX_DROP;
    if (eth->h_source[0] & 1)
        return RX_DROP; /* a multicast source address is invalid */

    __u32 zero = 0;
    struct bridge_config *cfg = bpf_map_lookup_elem(&bridge_config, &zero);
    if (!cfg)
        return RX_DROP;
    __u32 in = md->in_port;
    __u64 now = bpf_ktime_get_ns();
    struct mac src, dst;
    __builtin_memcpy(src.address, eth->h_source, 6);
    __builtin_memcpy(dst.address, eth->h_dest, 6);
    learn(&src, in, now);

    if (!(dst.address[0] & 1)) {
        struct fdb_entry *e = bpf_map_lookup_elem(&fdb, &dst);
        __u32 out;
        int known = 0;
        if (e && now - e->last_seen <= cfg->aging_ns) {
            out = e->port;
            known = 1;
        } else {
            __u32 *port = bpf_map_lookup_elem(&static_fdb, &dst);
            if (port) {
                out = *port;
                known = 1;
            }
        }
        if (known) {
            if (out == in)
                return RX_DROP; /* the destination is on the input segment: never back out of it */
            return pcn_pkt_redirect(ctx, md, out);
        }
    }
    struct bridge_stats *s = stats();
    if (s)
        s->flooded++;
    return pcn_flood(ctx, md, cfg->port_bound);
}
