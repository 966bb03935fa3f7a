/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the pcn_* helpers a cube's handle_rx() calls (the paper's Table I). */
#ifndef PCN_HELPERS_H
#define PCN_HELPERS_H

#include "hook.h"
#include "maps.h"

/* Puts the metadata word for the program reached next by tail call (XDP: pcn_md, TC: cb[0]). */
static __always_inline int pcn_md_push(struct CTXTYPE *ctx, __u16 in_port)
{
#ifdef PCN_HOOK_XDP
    __u32 zero = 0;
    __u32 *word = bpf_map_lookup_elem(&pcn_md, &zero);
    if (!word)
        return -1;
    *word = PCN_MD_WORD(in_port);
#else
    ctx->cb[0] = PCN_MD_WORD(in_port);
#endif
    return 0;
}

/* Hands the packet to another cube by patch-panel slot (slow path, injection): input port in the metadata. */
static __always_inline int pcn_to_cube(struct CTXTYPE *ctx, __u16 peer_port, __u32 slot)
{
    if (pcn_md_push(ctx, peer_port))
        return RX_DROP;
    bpf_tail_call(ctx, &pcn_patch, slot);
    return RX_DROP; /* the slot is empty: the peer cube went away */
}

#define __PCN_PEER_CASE(n)                                                                   \
    case n:                                                                                  \
        bpf_tail_call_static(ctx, &pcn_peer_progs, n);                                       \
        break;

/* Tail-calls pcn_peer_progs[port]; a direct jump for the first PCN_DIRECT_PORTS ports. */
static __always_inline void pcn_tail_call_port(struct CTXTYPE *ctx, __u32 port)
{
    switch (port) {
        __PCN_PEER_CASE(0) __PCN_PEER_CASE(1) __PCN_PEER_CASE(2) __PCN_PEER_CASE(3)
        __PCN_PEER_CASE(4) __PCN_PEER_CASE(5) __PCN_PEER_CASE(6) __PCN_PEER_CASE(7)
        __PCN_PEER_CASE(8) __PCN_PEER_CASE(9) __PCN_PEER_CASE(10) __PCN_PEER_CASE(11)
        __PCN_PEER_CASE(12) __PCN_PEER_CASE(13) __PCN_PEER_CASE(14) __PCN_PEER_CASE(15)
    default:
        bpf_tail_call(ctx, &pcn_peer_progs, port);
    }
}

/* Runs a µCube of this cube (idx: a constant gives a direct jump); RX_DROP only if idx holds no program. */
#define __pcn_call_program(ctx, md, progs, idx)                                              \
    ({                                                                                       \
        if (!pcn_md_push((ctx), (md)->in_port)) {                                            \
            if (__builtin_constant_p(idx))                                                   \
                bpf_tail_call_static((ctx), (progs), (idx));                                 \
            else                                                                             \
                bpf_tail_call((ctx), (progs), (idx));                                        \
        }                                                                                    \
        RX_DROP;                                                                             \
    })
#define call_ingress_program(ctx, md, idx) __pcn_call_program(ctx, md, &pcn_ingress_progs, idx)
#define call_egress_program(ctx, md, idx) __pcn_call_program(ctx, md, &pcn_egress_progs, idx)

/* This CPU's counters, looked up at most once per packet (md->stats caches the pointer). */
static __always_inline struct pcn_stats_table *pcn_stats(struct pkt_metadata *md)
{
    if (!md->stats) {
        __u32 zero = 0;
        md->stats = bpf_map_lookup_elem(&pcn_port_stats, &zero);
    }
    return md->stats;
}

/* Counts a packet leaving through out_port. */
static __always_inline void pcn_count_tx(struct pkt_metadata *md, __u32 out_port)
{
    struct pcn_stats_table *t = pcn_stats(md);
    if (t) {
        struct pcn_port_stats *st = &t->port[out_port & (PCN_MAX_PORTS - 1)];
        st->tx_packets++;
        st->tx_bytes += md->packet_len;
    }
}

static __always_inline void pcn_uncount_tx(struct pkt_metadata *md, __u32 out_port)
{
    struct pcn_stats_table *t = pcn_stats(md);
    if (t) {
        struct pcn_port_stats *st = &t->port[out_port & (PCN_MAX_PORTS - 1)];
        st->tx_packets--;
        st->tx_bytes -= md->packet_len;
    }
}

/*
 * Sends the packet out of out_port: to a netdev (XDP: devmap, so the kernel bulks the transmits) or
 * into the peer cube by a tail call. One inlined array lookup picks the way, so neither case pays for a
 * failed attempt at the other (a failed devmap redirect costs more than the lookup).
 */
static __always_inline int pcn_pkt_redirect(struct CTXTYPE *ctx, struct pkt_metadata *md, __u16 out_port)
{
    __u32 key = out_port;
    struct pcn_port *port = bpf_map_lookup_elem(&pcn_ports, &key);
    if (!port)
        return RX_DROP;
    __u16 kind = port->peer_kind;
    /* clang otherwise tests the cube kinds first; the netdev path is what a single cube is measured on */
    if (__builtin_expect(kind == PCN_PEER_NETDEV, 1)) {
#ifdef PCN_HOOK_XDP
        if (bpf_redirect_map(&pcn_tx_devmap, out_port, XDP_ABORTED) != XDP_REDIRECT)
            return RX_DROP;
#else
        if (bpf_redirect(port->target, 0) != TC_ACT_REDIRECT)
            return RX_DROP;
#endif
        pcn_count_tx(md, out_port);
        return RX_REDIRECT;
    }
    if (kind == PCN_PEER_LINK || (kind == PCN_PEER_CUBE && !pcn_md_push(ctx, port->peer_port))) {
        pcn_count_tx(md, out_port);
        pcn_tail_call_port(ctx, out_port);
        pcn_uncount_tx(md, out_port); /* still here: the peer's program is gone, the packet is a drop */
    }
    return RX_DROP; /* no peer, or the peer's program is gone */
}

/* Counts a slow-path copy that never reached the ring (only on this rare path: no cost per packet). */
static __always_inline int pcn_slowpath_lost(void)
{
    __u32 zero = 0;
    __u64 *lost = bpf_map_lookup_elem(&pcn_slowpath_drops, &zero);
    if (lost)
        (*lost)++;
    return RX_DROP;
}

/*
 * Writes one slow-path record reserving `cap` packet bytes (a constant, as the verifier wants); `len`
 * is at most `cap` already, the check only gives the verifier the bound on this path.
 */
static __always_inline int pcn_pkt_in_submit(struct CTXTYPE *ctx, struct pkt_metadata *md, __u16 reason,
                                             __u32 md0, __u32 md1, __u32 md2, __u64 len, const __u64 cap)
{
    /* hide what the caller's branch told clang about len, or it drops this check the verifier needs */
    asm volatile("" : "+r"(len));
    if (len > cap)
        len = cap;
    struct pcn_pkt_in *rec = bpf_ringbuf_reserve(&pcn_slowpath, sizeof(*rec) + cap, 0);
    if (!rec)
        return pcn_slowpath_lost(); /* the slow path is behind: a real drop */
    rec->in_port = md->in_port;
    rec->reason = reason;
    rec->packet_len = md->packet_len;
    rec->md[0] = md0;
    rec->md[1] = md1;
    rec->md[2] = md2;
    if (len < 1 || pcn_load_bytes(ctx, 0, rec + 1, len) < 0) {
        bpf_ringbuf_discard(rec, 0);
        return pcn_slowpath_lost();
    }
    rec->captured_len = len;
    bpf_ringbuf_submit(rec, 0);
    return RX_CONTROLLER;
}

/*
 * Sends a copy of the packet (at most PCN_PKT_IN_MAX bytes) and three words of metadata to the
 * cube's slow path in Java (CubeControl.packetIn); the packet itself is dropped. A full ring drops
 * the copy too. Packets up to PCN_PKT_IN_SMALL bytes take a small record, so a ring holds more of them.
 */
static __always_inline int pcn_pkt_controller_md(struct CTXTYPE *ctx, struct pkt_metadata *md, __u16 reason,
                                                 __u32 md0, __u32 md1, __u32 md2)
{
    __u64 len = md->packet_len;
    if (len <= PCN_PKT_IN_SMALL)
        return pcn_pkt_in_submit(ctx, md, reason, md0, md1, md2, len, PCN_PKT_IN_SMALL);
    return pcn_pkt_in_submit(ctx, md, reason, md0, md1, md2, len, PCN_PKT_IN_MAX);
}

static __always_inline int pcn_pkt_controller(struct CTXTYPE *ctx, struct pkt_metadata *md, __u16 reason)
{
    return pcn_pkt_controller_md(ctx, md, reason, 0, 0, 0);
}

#endif
