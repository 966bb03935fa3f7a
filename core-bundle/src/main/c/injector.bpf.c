/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains the injector: on the core's veth pcninj1 it turns a frame the core wrote into
 * pcninj0 (struct pcn_inj_hdr + original frame) into the original frame entering a cube on a given
 * port, through the patch panel, as if a cube peer had sent it. Built twice: the XDP program (native
 * mode) serves XDP cubes and passes the rest up to the TC program, which serves TC cubes and drops
 * everything else, so nothing reaches the kernel stack from this veth.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <pcn/consts.h>
#include <pcn/structs.h>
#include <pcn/hook.h>
#include <pcn/patch.h>

static __always_inline int pcn_inj_valid(const struct pcn_inj_hdr *h, __u16 family)
{
    return h->ethertype == bpf_htons(PCN_INJ_ETHERTYPE) && h->magic == bpf_htonl(PCN_INJ_MAGIC)
        && h->family == bpf_htons(family) && bpf_ntohs(h->slot) < PCN_PATCH_SLOTS;
}

#ifdef PCN_HOOK_XDP
SEC("xdp")
int pcn_injector(struct xdp_md *ctx)
{
    struct pcn_inj_hdr *h = pcn_data(ctx);
    if ((void *)(h + 1) > pcn_data_end(ctx) || !pcn_inj_valid(h, PCN_INJ_FAMILY_XDP))
        return XDP_PASS; /* the TC injector's, or not ours: TC decides */
    __u32 slot = bpf_ntohs(h->slot);
    __u32 word = PCN_MD_WORD(bpf_ntohs(h->in_port));
    if (bpf_xdp_adjust_head(ctx, sizeof(*h)))
        return XDP_DROP;
    __u32 zero = 0;
    __u32 *md = bpf_map_lookup_elem(&pcn_md, &zero);
    if (!md)
        return XDP_DROP;
    *md = word;
    bpf_tail_call(ctx, &pcn_patch, slot);
    return XDP_DROP; /* empty slot: the cube went away */
}
#else
/* Scratch space to move the original frame to the front (bpf_skb_adjust_room wants IP packets). */
struct pcn_inj_frame {
    __u8 bytes[PCN_INJ_FRAME_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct pcn_inj_frame);
} pcn_inj_scratch SEC(".maps");

SEC("tc")
int pcn_injector(struct __sk_buff *ctx)
{
    struct pcn_inj_hdr h;
    if (bpf_skb_load_bytes(ctx, 0, &h, sizeof(h)) < 0 || !pcn_inj_valid(&h, PCN_INJ_FAMILY_TC))
        return TC_ACT_SHOT;
    __u64 len = ctx->len;
    len -= sizeof(h);
    if (len < ETH_HLEN || len > PCN_INJ_FRAME_MAX)
        return TC_ACT_SHOT;
    __u32 zero = 0;
    void *buf = bpf_map_lookup_elem(&pcn_inj_scratch, &zero);
    if (!buf)
        return TC_ACT_SHOT;
    if (bpf_skb_load_bytes(ctx, sizeof(h), buf, len) < 0 || bpf_skb_store_bytes(ctx, 0, buf, len, 0) < 0
        || bpf_skb_change_tail(ctx, len, 0) < 0)
        return TC_ACT_SHOT;
    ctx->cb[0] = PCN_MD_WORD(bpf_ntohs(h.in_port));
    bpf_tail_call(ctx, &pcn_patch, bpf_ntohs(h.slot));
    return TC_ACT_SHOT; /* empty slot: the cube went away */
}
#endif

char _pcn_license[] SEC("license") = "GPL";
