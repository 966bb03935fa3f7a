/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains the program the kernel runs: it finds the input port, calls the cube's
 * handle_rx() and turns its RX_* verdict into the hook's action.
 */
#ifndef PCN_ENTRY_H
#define PCN_ENTRY_H

#include "hook.h"
#include "maps.h"

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md);

/* Runs the cube on a packet that entered through md->in_port, counting it, and returns the hook's verdict. */
static __always_inline int pcn_run(struct CTXTYPE *ctx, struct pkt_metadata *md);

static __always_inline int pcn_verdict(int rc)
{
#ifdef PCN_HOOK_XDP
    return rc == RX_REDIRECT ? XDP_REDIRECT : rc == RX_OK ? XDP_PASS : XDP_DROP;
#else
    return rc == RX_REDIRECT ? TC_ACT_REDIRECT : rc == RX_OK ? TC_ACT_OK : TC_ACT_SHOT;
#endif
}

static __always_inline int pcn_run(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    struct pcn_stats_table *t = pcn_stats(md);
    struct pcn_port_stats *st = t ? &t->port[md->in_port & (PCN_MAX_PORTS - 1)] : 0;
    if (st) {
        st->rx_packets++;
        st->rx_bytes += md->packet_len;
    }
    int rc = handle_rx(ctx, md);
    if (rc == RX_DROP && st) {
        st->drop_packets++;
        st->drop_bytes += md->packet_len;
    }
    return pcn_verdict(rc);
}

/* Reads the metadata word a tail call brought (see pcn_md_push); -1 if there is none. */
static __always_inline int pcn_md_pop(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
#ifdef PCN_HOOK_XDP
    __u32 zero = 0;
    __u32 *slot = bpf_map_lookup_elem(&pcn_md, &zero);
    if (!slot)
        return -1;
    __u32 word = *slot;
    *slot = 0; /* a stale word must never pass for a fresh one */
#else
    __u32 word = ctx->cb[0];
#endif
    if ((word >> 16) != PCN_MD_MAGIC)
        return -1;
    md->in_port = word & 0xffff;
    md->packet_len = pcn_pkt_len(ctx);
    return 0;
}

#if defined(PCN_TRANSPARENT) && !defined(PCN_UCUBE)
/*
 * A transparent cube has no ports: it sits on a port or netdev, in one direction. What its handle_rx()
 * lets through (RX_OK) goes on to the next stage in pcn_next: another transparent cube or the cube
 * that owns the port (CUBE), a netdev (NETDEV), or the kernel stack (STACK).
 */
static __always_inline int pcn_continue(struct CTXTYPE *ctx)
{
    __u32 zero = 0;
    struct pcn_port *next = bpf_map_lookup_elem(&pcn_next, &zero);
    if (!next)
        return RX_DROP;
    if (next->peer_kind == PCN_PEER_LINK || next->peer_kind == PCN_PEER_CUBE) {
        if (next->peer_kind == PCN_PEER_LINK || !pcn_md_push(ctx, next->peer_port))
            bpf_tail_call_static(ctx, &pcn_next_prog, 0);
        return RX_DROP;
    }
    if (next->peer_kind == PCN_PEER_STACK)
        return RX_OK;
    if (next->peer_kind == PCN_PEER_NETDEV) {
#ifdef PCN_HOOK_XDP
        return bpf_redirect_map(&pcn_tx_devmap, 0, XDP_ABORTED) == XDP_REDIRECT ? RX_REDIRECT : RX_DROP;
#else
        return bpf_redirect(next->target, 0) == TC_ACT_REDIRECT ? RX_REDIRECT : RX_DROP;
#endif
    }
    return RX_DROP;
}

static __always_inline int pcn_transparent(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    int rc = handle_rx(ctx, md);
    return pcn_verdict(rc == RX_OK ? pcn_continue(ctx) : rc);
}

/* Attached to a netdev (first transparent cube of a netdev no cube owns). */
SEC(PCN_SEC)
int pcn_entry(struct CTXTYPE *ctx)
{
    struct pkt_metadata md = { .in_port = 0, .packet_len = pcn_pkt_len(ctx) };
    return pcn_transparent(ctx, &md);
}

/* Reached by tail call from the previous stage. */
SEC(PCN_SEC)
int pcn_chain(struct CTXTYPE *ctx)
{
    struct pkt_metadata md = {};
    if (pcn_md_pop(ctx, &md))
        return pcn_verdict(RX_DROP);
    md.in_port = 0;
    return pcn_transparent(ctx, &md);
}
#elif !defined(PCN_UCUBE)
/* MASTER (µCube 0). Attached to every netdev peer: the input port is the one whose peer received it. */
SEC(PCN_SEC)
int pcn_entry(struct CTXTYPE *ctx)
{
    __u32 ifindex = pcn_ingress_ifindex(ctx);
    /* Two separate lookups, each on a constant map, so the verifier inlines the array one. */
    __u32 *port = bpf_map_lookup_elem(&pcn_port_of_ifindex, &ifindex);
    if (!port || !*port) {
        port = bpf_map_lookup_elem(&pcn_port_of_big_ifindex, &ifindex);
        if (!port)
            return pcn_verdict(RX_OK);
    }
    __u32 v = *port;
    if (PCN_IFPORT_INGRESS_SLOT(v))
        /* Transparent cubes first (rare: a computed slot); the last one brings the packet back through pcn_chain. */
        return pcn_verdict(pcn_to_cube(ctx, 0, PCN_IFPORT_INGRESS_SLOT(v)));
    struct pkt_metadata md = { .in_port = PCN_IFPORT_INDEX(v), .packet_len = pcn_pkt_len(ctx) };
    return pcn_run(ctx, &md);
}

/* MASTER, reached from another cube by tail call (patch-panel slot): the input port is in the metadata. */
SEC(PCN_SEC)
int pcn_chain(struct CTXTYPE *ctx)
{
    struct pkt_metadata md = {};
    if (pcn_md_pop(ctx, &md))
        return pcn_verdict(RX_DROP);
    return pcn_run(ctx, &md);
}

/* pcn_link_<n>: MASTER, reached from a cube whose port is linked to input port n (see PCN_LINK_PORTS). */
#define __PCN_LINK(n)                                                                        \
    SEC(PCN_SEC)                                                                             \
    int pcn_link_##n(struct CTXTYPE *ctx)                                                    \
    {                                                                                        \
        struct pkt_metadata md = { .in_port = n, .packet_len = pcn_pkt_len(ctx) };           \
        return pcn_run(ctx, &md);                                                            \
    }
#if PCN_LINK_PORTS > 16
#error "PCN_LINK_PORTS is at most 16"
#endif
#if PCN_LINK_PORTS > 0
__PCN_LINK(0)
#endif
#if PCN_LINK_PORTS > 1
__PCN_LINK(1)
#endif
#if PCN_LINK_PORTS > 2
__PCN_LINK(2)
#endif
#if PCN_LINK_PORTS > 3
__PCN_LINK(3)
#endif
#if PCN_LINK_PORTS > 4
__PCN_LINK(4)
#endif
#if PCN_LINK_PORTS > 5
__PCN_LINK(5)
#endif
#if PCN_LINK_PORTS > 6
__PCN_LINK(6)
#endif
#if PCN_LINK_PORTS > 7
__PCN_LINK(7)
#endif
#if PCN_LINK_PORTS > 8
__PCN_LINK(8)
#endif
#if PCN_LINK_PORTS > 9
__PCN_LINK(9)
#endif
#if PCN_LINK_PORTS > 10
__PCN_LINK(10)
#endif
#if PCN_LINK_PORTS > 11
__PCN_LINK(11)
#endif
#if PCN_LINK_PORTS > 12
__PCN_LINK(12)
#endif
#if PCN_LINK_PORTS > 13
__PCN_LINK(13)
#endif
#if PCN_LINK_PORTS > 14
__PCN_LINK(14)
#endif
#if PCN_LINK_PORTS > 15
__PCN_LINK(15)
#endif
#else
/* A SLAVE µCube (compiled with -DPCN_UCUBE=idx): reached by call_ingress/egress_program. */
SEC(PCN_SEC)
int pcn_ucube(struct CTXTYPE *ctx)
{
    struct pkt_metadata md = {};
    if (pcn_md_pop(ctx, &md))
        return pcn_verdict(RX_DROP);
    return pcn_verdict(handle_rx(ctx, &md));
}
#endif

char _pcn_license[] SEC("license") = "GPL";

#endif
