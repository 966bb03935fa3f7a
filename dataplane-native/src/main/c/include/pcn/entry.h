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

SEC(PCN_SEC)
int pcn_entry(struct CTXTYPE *ctx)
{
    __u32 ifindex = pcn_ingress_ifindex(ctx);
    __u16 *port = bpf_map_lookup_elem(&pcn_port_of_ifindex, &ifindex);
    if (!port)
#ifdef PCN_HOOK_XDP
        return XDP_PASS;
#else
        return TC_ACT_OK;
#endif
    struct pkt_metadata md = { .in_port = *port, .packet_len = pcn_pkt_len(ctx) };
    int rc = handle_rx(ctx, &md);
#ifdef PCN_HOOK_XDP
    return rc == RX_REDIRECT ? XDP_REDIRECT : rc == RX_OK ? XDP_PASS : XDP_DROP;
#else
    return rc == RX_REDIRECT ? TC_ACT_REDIRECT : rc == RX_OK ? TC_ACT_OK : TC_ACT_SHOT;
#endif
}

char _pcn_license[] SEC("license") = "GPL";

#endif
