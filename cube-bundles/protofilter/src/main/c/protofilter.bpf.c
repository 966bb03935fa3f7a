/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of protofilter, a transparent cube: drop IPv4 packets of listed protocols. */
#include <pcn/cube.h>

/* IP protocol number -> 1 to drop. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, __u32);
} drop_protocol SEC(".maps");

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    struct ethhdr *eth = pcn_data(ctx);
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > pcn_data_end(ctx) || eth->h_proto != bpf_htons(ETH_P_IP))
        return RX_OK;
    __u32 proto = ip->protocol;
    __u32 *drop = bpf_map_lookup_elem(&drop_protocol, &proto);
    if (drop && *drop) {
        pcn_log(ctx, LOG_DEBUG, "dropped protocol %u from %I", proto, ip->saddr);
        return RX_DROP;
    }
    return RX_OK;
}
