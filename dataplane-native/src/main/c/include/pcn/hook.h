/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains what differs between the XDP and the TC build of one cube source. */
#ifndef PCN_HOOK_H
#define PCN_HOOK_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#if defined(PCN_HOOK_XDP) == defined(PCN_HOOK_TC)
#error "compile a cube with exactly one of -DPCN_HOOK_XDP or -DPCN_HOOK_TC"
#endif

#ifdef PCN_HOOK_XDP
#define CTXTYPE xdp_md
#define PCN_SEC "xdp"
#define pcn_ingress_ifindex(ctx) ((ctx)->ingress_ifindex)
#define pcn_load_bytes(ctx, off, to, len) bpf_xdp_load_bytes(ctx, off, to, len)
static __always_inline __u32 pcn_pkt_len(struct xdp_md *ctx)
{
    return ctx->data_end - ctx->data;
}
#else
#define CTXTYPE __sk_buff
#define PCN_SEC "tc"
#define pcn_ingress_ifindex(ctx) ((ctx)->ifindex)
#define pcn_load_bytes(ctx, off, to, len) bpf_skb_load_bytes(ctx, off, to, len)
static __always_inline __u32 pcn_pkt_len(struct __sk_buff *ctx)
{
    return ctx->len;
}
#endif

/* Packet bounds, for direct packet access in either hook. */
#define pcn_data(ctx) ((void *)(long)(ctx)->data)
#define pcn_data_end(ctx) ((void *)(long)(ctx)->data_end)

#endif
