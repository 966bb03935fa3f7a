/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the pcn_* helpers a cube's handle_rx() calls (the paper's Table I). */
#ifndef PCN_HELPERS_H
#define PCN_HELPERS_H

#include "hook.h"
#include "maps.h"

/* Puts the metadata word for the program reached next by tail call (XDP data_meta, TC cb[0]). */
static __always_inline int pcn_md_push(struct CTXTYPE *ctx, __u16 in_port)
{
#ifdef PCN_HOOK_XDP
    if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32)))
        return -1;
    __u32 *meta = (void *)(long)ctx->data_meta;
    if ((void *)(meta + 1) > pcn_data(ctx))
        return -1;
    *meta = PCN_MD_WORD(in_port);
#else
    ctx->cb[0] = PCN_MD_WORD(in_port);
#endif
    return 0;
}

/* Hands the packet to another cube: input port in the metadata, then a tail call to its slot. */
static __always_inline int pcn_to_cube(struct CTXTYPE *ctx, __u16 peer_port, __u32 slot)
{
    if (pcn_md_push(ctx, peer_port))
        return RX_DROP;
    bpf_tail_call(ctx, &pcn_patch, slot);
    return RX_DROP; /* the slot is empty: the peer cube went away */
}

/* Runs SLAVE µCube idx of this cube on the packet; returns RX_DROP only if idx holds no program. */
static __always_inline int call_ingress_program(struct CTXTYPE *ctx, struct pkt_metadata *md, __u32 idx)
{
    if (pcn_md_push(ctx, md->in_port))
        return RX_DROP;
    bpf_tail_call(ctx, &pcn_ingress_progs, idx);
    return RX_DROP;
}

static __always_inline int call_egress_program(struct CTXTYPE *ctx, struct pkt_metadata *md, __u32 idx)
{
    if (pcn_md_push(ctx, md->in_port))
        return RX_DROP;
    bpf_tail_call(ctx, &pcn_egress_progs, idx);
    return RX_DROP;
}

/*
 * Sends the packet out of out_port to its peer: out of a netdev (XDP: devmap, which the kernel
 * bulks; TC: bpf_redirect) or into the next cube. Returns RX_REDIRECT, or RX_DROP if the port has
 * no peer. In XDP the devmap is tried first so that the common netdev case costs one helper call.
 */
/* Counts a packet leaving through out_port. */
static __always_inline void pcn_count_tx(struct pkt_metadata *md, __u32 out_port)
{
    struct pcn_port_stats *st = bpf_map_lookup_elem(&pcn_port_stats, &out_port);
    if (st) {
        st->tx_packets++;
        st->tx_bytes += md->packet_len;
    }
}

static __always_inline int pcn_pkt_redirect(struct CTXTYPE *ctx, struct pkt_metadata *md, __u16 out_port)
{
#ifdef PCN_HOOK_XDP
    if (bpf_redirect_map(&pcn_tx_devmap, out_port, XDP_ABORTED) == XDP_REDIRECT) {
        pcn_count_tx(md, out_port);
        return RX_REDIRECT;
    }
#endif
    __u32 key = out_port;
    struct pcn_port *port = bpf_map_lookup_elem(&pcn_ports, &key);
    if (!port)
        return RX_DROP;
    if (port->peer_kind == PCN_PEER_CUBE) {
        pcn_count_tx(md, out_port);
        return pcn_to_cube(ctx, port->peer_port, port->target);
    }
#ifndef PCN_HOOK_XDP
    if (port->peer_kind == PCN_PEER_NETDEV && bpf_redirect(port->target, 0) == TC_ACT_REDIRECT) {
        pcn_count_tx(md, out_port);
        return RX_REDIRECT;
    }
#endif
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
        return RX_DROP; /* the slow path is behind: a real drop */
    rec->in_port = md->in_port;
    rec->reason = reason;
    rec->packet_len = md->packet_len;
    rec->md[0] = md0;
    rec->md[1] = md1;
    rec->md[2] = md2;
    if (len < 1 || pcn_load_bytes(ctx, 0, rec + 1, len) < 0) {
        bpf_ringbuf_discard(rec, 0);
        return RX_DROP;
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
