/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of bridge: an 802.1Q switch (VLAN membership, tags, per-VLAN fdb, flooding). */
#include <pcn/cube.h>

#ifndef FDB_SIZE
#define FDB_SIZE 4096
#endif
/* A learned entry's port and last_seen are rewritten at most this often by one host's traffic. */
#define REFRESH_NS 1000000000ull
#define ETH_P_8021Q_BE bpf_htons(0x8100)
#define NO_VLAN 0

/* The filtering database is per VLAN: the same address in two VLANs is two entries. */
struct fdb_key {
    __u16 vlan;
    __u8 address[6];
};

/* A learned entry (config-false list "fdb"). last_seen: bpf_ktime_get_ns(), CLOCK_MONOTONIC. */
struct fdb_entry {
    __u32 port;
    __u32 pad;
    __u64 last_seen;
};

/*
 * A port's VLANs, written by the control plane (Bridge.java). pvid: the VLAN of untagged frames and the
 * one that leaves untagged (ACCESS: its VLAN; TRUNK: the native VLAN, NO_VLAN if none); trunk: tagged
 * frames of member VLANs are accepted and the other member VLANs leave tagged; member: bit v for VLAN v.
 */
struct vlan_port {
    __u16 pvid;
    __u16 trunk;
    __u32 pad;
    __u64 member[64];
};

/* Written by the control plane: the aging time and one past the highest port index. */
struct bridge_config {
    __u64 aging_ns;
    __u32 port_bound;
    __u32 pad;
};

/* Counters (config-false list "statistics", summed over CPUs). */
struct bridge_stats {
    __u64 learn_refused; /* new source addresses not learned because the fdb was full */
    __u64 flooded;       /* frames flooded to their VLAN */
    __u64 vlan_dropped;  /* frames of a VLAN their input port does not allow */
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, FDB_SIZE);
    __type(key, struct fdb_key);
    __type(value, struct fdb_entry);
} fdb SEC(".maps");

/* Static entries: (VLAN, MAC) -> port index. base:map of the config list "static-entries". */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct fdb_key);
    __type(value, __u32);
} static_fdb SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct vlan_port);
} vlan_ports SEC(".maps");

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

#ifdef PCN_HOOK_XDP
/*
 * Port index -> {netdev, bridge_egress}: the XDP flood is one broadcast through this map (filled by
 * Bridge.java for the netdev ports), and each copy's egress program drops it on a port outside its
 * VLAN or untags it, so one broadcast serves access and trunk ports alike.
 */
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct bpf_devmap_val);
} vlan_flood SEC(".maps");
#endif

static __always_inline struct bridge_stats *stats(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&bridge_stats, &zero);
}

static __always_inline int is_member(const struct vlan_port *p, __u16 vlan)
{
    return (p->member[(vlan >> 6) & 63] >> (vlan & 63)) & 1;
}

static __always_inline struct vlan_port *vlan_port(__u32 port)
{
    return bpf_map_lookup_elem(&vlan_ports, &port);
}

/* Whether a frame of vlan leaves port tagged. */
static __always_inline int leaves_tagged(const struct vlan_port *p, __u16 vlan)
{
    return p->trunk && vlan != p->pvid;
}

#ifdef PCN_HOOK_XDP
/* Inserts an 802.1Q tag after the MAC addresses; -1 if the frame cannot grow. */
static __always_inline int tag_push(struct xdp_md *ctx, __u16 vlan)
{
    if (bpf_xdp_adjust_head(ctx, -4))
        return -1;
    __u8 *p = pcn_data(ctx);
    if ((void *)(p + 18) > pcn_data_end(ctx))
        return -1;
    __u8 macs[12];
    __builtin_memcpy(macs, p + 4, 12);
    __builtin_memcpy(p, macs, 12);
    *(__be16 *)(p + 12) = ETH_P_8021Q_BE;
    *(__be16 *)(p + 14) = bpf_htons(vlan);
    return 0;
}

/* Removes the 802.1Q tag after the MAC addresses (the caller knows there is one). */
static __always_inline int tag_pop(struct xdp_md *ctx)
{
    __u8 *p = pcn_data(ctx);
    if ((void *)(p + 18) > pcn_data_end(ctx))
        return -1;
    __u8 macs[12];
    __builtin_memcpy(macs, p, 12);
    if (bpf_xdp_adjust_head(ctx, 4))
        return -1;
    p = pcn_data(ctx);
    if ((void *)(p + 12) > pcn_data_end(ctx))
        return -1;
    __builtin_memcpy(p, macs, 12);
    return 0;
}

static __always_inline int is_tagged(struct xdp_md *ctx)
{
    struct ethhdr *eth = pcn_data(ctx);
    return (void *)(eth + 1) <= pcn_data_end(ctx) && eth->h_proto == ETH_P_8021Q_BE;
}
#else
/* TC: a received tag is usually out of band (skb->vlan_tci); a test frame carries it in line. */
static __always_inline int is_tagged(struct __sk_buff *ctx)
{
    return ctx->vlan_present || ctx->protocol == ETH_P_8021Q_BE;
}

static __always_inline int tag_push(struct __sk_buff *ctx, __u16 vlan)
{
    return bpf_skb_vlan_push(ctx, ETH_P_8021Q_BE, vlan);
}

static __always_inline int tag_pop(struct __sk_buff *ctx)
{
    return bpf_skb_vlan_pop(ctx);
}
#endif

/* Puts the frame (of vlan) into the form port sends: tagged on a trunk but for its native VLAN. */
static __always_inline void tag_for(struct CTXTYPE *ctx, __u32 port, __u16 vlan)
{
    struct vlan_port *p = vlan_port(port);
    if (!p)
        return;
    int tagged = is_tagged(ctx);
    if (leaves_tagged(p, vlan) && !tagged)
        tag_push(ctx, vlan);
    else if (!leaves_tagged(p, vlan) && tagged)
        tag_pop(ctx);
}

static __always_inline int flood_member(__u32 port, __u16 vlan)
{
    struct vlan_port *p = vlan_port(port);
    return p && is_member(p, vlan);
}

/* Flood only to the VLAN's members, each in its own form (pcn/flood.h). */
#define PCN_FLOOD_MEMBER(ctx, md, port, vlan) flood_member(port, vlan)
#define PCN_FLOOD_PREPARE(ctx, md, port, vlan) tag_for(ctx, port, vlan)
#define PCN_FLOOD_DEVMAP vlan_flood
#include <pcn/flood.h>

/* Learns (or moves, or refreshes) (vlan, source) on the input port; a full fdb stops learning only. */
static __always_inline void learn(struct fdb_key *src, __u32 in, __u64 now)
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

/* The frame's VLAN on input port p, or NO_VLAN when p does not allow it. */
static __always_inline __u16 classify(struct CTXTYPE *ctx, struct ethhdr *eth, const struct vlan_port *p)
{
    __u16 tci;
#ifdef PCN_HOOK_TC
    if (ctx->vlan_present) {
        tci = ctx->vlan_tci;
    } else
#endif
    if (eth->h_proto == ETH_P_8021Q_BE) {
        struct vlan_hdr {
            __be16 tci;
            __be16 proto;
        } *vh = (void *)(eth + 1);
        if ((void *)(vh + 1) > pcn_data_end(ctx))
            return NO_VLAN;
        tci = bpf_ntohs(vh->tci);
    } else {
        return p->pvid; /* untagged: the access VLAN, or the native VLAN of a trunk (NO_VLAN if none) */
    }
    __u16 vlan = tci & 0xfff;
    return p->trunk && vlan && is_member(p, vlan) ? vlan : NO_VLAN;
}

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    struct ethhdr *eth = pcn_data(ctx);
    if ((void *)(eth + 1) > pcn_data_end(ctx))
        return RX_DROP;
    if (eth->h_source[0] & 1)
        return RX_DROP; /* a multicast source address is invalid */

    __u32 zero = 0;
    struct bridge_config *cfg = bpf_map_lookup_elem(&bridge_config, &zero);
    struct vlan_port *inp = vlan_port(md->in_port);
    if (!cfg || !inp)
        return RX_DROP;
    __u16 vlan = classify(ctx, eth, inp);
    if (vlan == NO_VLAN) {
        struct bridge_stats *s = stats();
        if (s)
            s->vlan_dropped++;
        return RX_DROP;
    }
    __u32 in = md->in_port;
    __u64 now = bpf_ktime_get_ns();
    struct fdb_key src = { .vlan = vlan }, dst = { .vlan = vlan };
    __builtin_memcpy(src.address, eth->h_source, 6);
    __builtin_memcpy(dst.address, eth->h_dest, 6);
    learn(&src, in, now);

    if (!(dst.address[0] & 1)) {
        struct fdb_entry *e = bpf_map_lookup_elem(&fdb, &dst);
        __u32 out = PCN_MAX_PORTS;
        if (e && now - e->last_seen <= cfg->aging_ns) {
            out = e->port;
        } else {
            __u32 *port = bpf_map_lookup_elem(&static_fdb, &dst);
            if (port)
                out = *port;
        }
        if (out == in)
            return RX_DROP; /* the destination is on the input segment: never back out of it */
        if (out < PCN_MAX_PORTS && flood_member(out, vlan)) {
            tag_for(ctx, out, vlan);
            return pcn_pkt_redirect(ctx, md, out);
        }
    }
    struct bridge_stats *s = stats();
    if (s)
        s->flooded++;
#ifdef PCN_HOOK_XDP
    /* one broadcast for all: every copy leaves tagged, bridge_egress untags where the port wants it */
    if (!is_tagged(ctx) && tag_push(ctx, vlan))
        return RX_DROP;
#endif
    return pcn_flood_arg(ctx, md, cfg->port_bound, vlan);
}

#ifdef PCN_HOOK_XDP
/* The port of a netdev this cube is attached to, or PCN_MAX_PORTS. */
static __always_inline __u32 port_of_ifindex(__u32 ifindex)
{
    __u32 *v = ifindex < PCN_IFINDEX_DIRECT ? bpf_map_lookup_elem(&pcn_port_of_ifindex, &ifindex)
                                            : bpf_map_lookup_elem(&pcn_port_of_big_ifindex, &ifindex);
    return v && (*v & 0xffff) ? PCN_IFPORT_INDEX(*v) : PCN_MAX_PORTS;
}

/* Egress program of each vlan_flood entry: a flood copy (tagged) leaves only VLAN members, in their form. */
SEC("xdp/devmap")
int bridge_egress(struct xdp_md *ctx)
{
    struct ethhdr *eth = pcn_data(ctx);
    __be16 *tci = (void *)(eth + 1);
    if ((void *)(tci + 1) > pcn_data_end(ctx) || eth->h_proto != ETH_P_8021Q_BE)
        return XDP_DROP;
    __u16 vlan = bpf_ntohs(*tci) & 0xfff;
    struct vlan_port *p = vlan_port(port_of_ifindex(ctx->egress_ifindex));
    if (!p || !is_member(p, vlan))
        return XDP_DROP;
    if (!leaves_tagged(p, vlan) && tag_pop(ctx))
        return XDP_DROP;
    return XDP_PASS;
}
#endif
