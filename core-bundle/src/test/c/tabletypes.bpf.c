/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains a test cube whose maps hold one C field of each type zero-code tables convert to. */
#include <pcn/cube.h>

enum color { RED = 0, GREEN = 1, BLUE = 7 };

struct ints_val {
    __u8 u8;
    __u16 u16;
    __u32 u32;
    __u64 u64;
    __s8 s8;
    __s16 s16;
    __s32 s32;
    __s64 s64;
    _Bool flag;
    enum color color;
    __be16 l4_port;
    __u32 wide;
    __u32 outport;
    __u64 hits;            /* config false: counted by the data path */
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, struct ints_val);
} ints SEC(".maps");

struct mac_key {
    __u8 addr[6];
};

struct addrs_val {
    __be32 ip4;
    __u8 ip6[16];
    __u32 host_order_ip4;  /* an address is in network order whatever the integer type says */
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, struct mac_key);
    __type(value, struct addrs_val);
} addrs SEC(".maps");

struct lpm4_key {
    __u32 prefixlen;
    __u8 addr[4];
};

struct lpm6_key {
    __u32 prefixlen;
    __u8 addr[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 16);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm4_key);
    __type(value, __u32);
} routes4 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 16);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm6_key);
    __type(value, __u32);
} routes6 SEC(".maps");

/* Two entries at most: a third is refused and rolled back. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} small SEC(".maps");

/* Per port and CPU: read as a config-false list, summed over CPUs. */
struct stats_val {
    __u64 packets;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct stats_val);
} stats SEC(".maps");

/* [0]: the nexthop of the packet's IPv4 destination in routes4 (0xffffffff: no route). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} result SEC(".maps");

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    __u32 zero = 0, one = 1, none = 0xffffffff;
    struct ints_val *v = bpf_map_lookup_elem(&ints, &one);
    if (v)
        __sync_fetch_and_add(&v->hits, 1);
    if ((void *)(eth + 1) > data_end)
        return RX_DROP;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
        return RX_DROP;
    struct lpm4_key key = {.prefixlen = 32};
    __builtin_memcpy(key.addr, &ip->daddr, 4);
    __u32 *hop = bpf_map_lookup_elem(&routes4, &key);
    bpf_map_update_elem(&result, &zero, hop ? hop : &none, BPF_ANY);
    return RX_DROP;
}
