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

static __always_inline int pcn_verdict(int rc)
{
#ifdef PCN_HOOK_XDP
    return rc == RX_REDIRECT ? XDP_REDIRECT : rc == RX_OK ? XDP_PASS : XDP_DROP;
#else
    return rc == RX_REDIRECT ? TC_ACT_REDIRECT : rc == RX_OK ? TC_ACT_OK : TC_ACT_SHOT;
#endif
}

/* Attached to every netdev peer: the input port is the one whose peer is the receiving device. */
SEC(PCN_SEC)
int pcn_entry(struct CTXTYPE *ctx)
{
    __u32 ifindex = pcn_ingress_ifindex(ctx);
    __u16 *port = bpf_map_lookup_elem(&pcn_port_of_ifindex, &ifindex);
    if (!port)
        return pcn_verdict(RX_OK);
    struct pkt_metadata md = { .in_port = *port, .packet_len = pcn_pkt_len(ctx) };
    return pcn_verdict(handle_rx(ctx, &md));
}

/* Reached from another cube by tail call (patch-panel slot): the input port comes in the metadata. */
SEC(PCN_SEC)
int pcn_chain(struct CTXTYPE *ctx)
{
#ifdef PCN_HOOK_XDP
    __u32 *meta = (void *)(long)ctx->data_meta;
    if ((void *)(meta + 1) > pcn_data(ctx))
        return XDP_DROP;
    __u32 word = *meta;
    if (bpf_xdp_adjust_meta(ctx, sizeof(__u32)))
        return XDP_DROP;
#else
    __u32 word = ctx->cb[0];
#endif
    if ((word >> 16) != PCN_MD_MAGIC)
        return pcn_verdict(RX_DROP);
    struct pkt_metadata md = { .in_port = word & 0xffff, .packet_len = pcn_pkt_len(ctx) };
    return pcn_verdict(handle_rx(ctx, &md));
}

char _pcn_license[] SEC("license") = "GPL";

#endif
