/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of protofilter, a transparent cube: drop IPv4 packets of listed
 * protocols, and IPv4/IPv6 packets whose source address matches a DROP prefix (longest prefix wins). */
#include <pcn/cube.h>
#include <linux/ipv6.h>

/* IP protocol number -> 1 to drop. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, __u32);
} drop_protocol SEC(".maps");

/* The YANG enumeration source-action: a value the control plane wrote, 0 never is. */
enum source_action {
    SOURCE_DROP = 1,
    SOURCE_PASS = 2,
};

/* Keys of the source tables, bound to the YANG lists source-ipv4 / source-ipv6 (zero-code tables). */
struct source4_key {
    __u32 prefixlen;
    __u8 prefix[4];
};

struct source6_key {
    __u32 prefixlen;
    __u8 prefix[16];
};

struct source_rule {
    __u32 action; /* enum source_action */
};

/* Room for the lists source-ipv4 and source-ipv6: a longer list is refused (409), nothing applied. */
#define PROTOFILTER_SOURCE_ENTRIES 16384

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, PROTOFILTER_SOURCE_ENTRIES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct source4_key);
    __type(value, struct source_rule);
} source_ipv4 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, PROTOFILTER_SOURCE_ENTRIES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct source6_key);
    __type(value, struct source_rule);
} source_ipv6 SEC(".maps");

static __always_inline int source_dropped(struct source_rule *rule)
{
    return rule && rule->action == SOURCE_DROP;
}

static __always_inline int handle_ipv6(struct CTXTYPE *ctx, struct ipv6hdr *ip6)
{
    if ((void *)(ip6 + 1) > pcn_data_end(ctx))
        return RX_OK;
    struct source6_key key = {.prefixlen = 128};
    __builtin_memcpy(key.prefix, &ip6->saddr, sizeof(key.prefix));
    if (source_dropped(bpf_map_lookup_elem(&source_ipv6, &key))) {
        pcn_log(ctx, LOG_DEBUG, "dropped an IPv6 packet by its source");
        return RX_DROP;
    }
    return RX_OK;
}

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    struct ethhdr *eth = pcn_data(ctx);
    if ((void *)(eth + 1) > pcn_data_end(ctx))
        return RX_OK;
    if (eth->h_proto == bpf_htons(ETH_P_IPV6))
        return handle_ipv6(ctx, (void *)(eth + 1));
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > pcn_data_end(ctx) || eth->h_proto != bpf_htons(ETH_P_IP))
        return RX_OK;
    struct source4_key key = {.prefixlen = 32};
    __builtin_memcpy(key.prefix, &ip->saddr, sizeof(key.prefix));
    if (source_dropped(bpf_map_lookup_elem(&source_ipv4, &key))) {
        pcn_log(ctx, LOG_DEBUG, "dropped source %I", ip->saddr);
        return RX_DROP;
    }
    __u32 proto = ip->protocol;
    __u32 *drop = bpf_map_lookup_elem(&drop_protocol, &proto);
    if (drop && *drop) {
        pcn_log(ctx, LOG_DEBUG, "dropped protocol %u from %I", proto, ip->saddr);
        return RX_DROP;
    }
    return RX_OK;
}
