/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains the data path of router: IPv4 forwarding by longest prefix (connected subnets,
 * then static routes), ARP learning and replies, ICMP echo replies for the router's own addresses;
 * ARP misses, TTL expiry and missing routes go to the slow path (Router.java).
 */
#include <pcn/cube.h>

#define ETH_P_ARP_BE bpf_htons(0x0806)
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define PROTO_ICMP 1

/* The start of an ICMP message (linux/icmp.h pulls in libc headers a BPF build cannot use). */
struct icmphdr {
    __u8 type;
    __u8 code;
    __sum16 checksum;
    __be16 id;
    __be16 sequence;
};

/* Slow-path reasons, mirrored in Router.java. */
#define REASON_ARP_MISS 1     /* md[0]: next hop (network order), md[1]: output port */
#define REASON_ARP_REPLY 2    /* md[0]: the sender's address (network order), md[1]: 1 if the table was full */
#define REASON_TTL_EXCEEDED 3
#define REASON_NO_ROUTE 4

/* Counters (the YANG enumeration "counter" of list statistics); 4..7 are counted by the slow path. */
enum { STAT_ARP_LEARN_FULL, STAT_TTL_EXCEEDED, STAT_NO_ROUTE, STAT_ARP_MISS, STAT_ECHO_REPLIES = 8, STAT_ARP_REPLIES,
       STAT_SLOTS = 16 };

/* A port's own MAC and primary address (ip 0: no address, the port drops). Written by Router.java. */
struct router_port {
    __u8 mac[6];
    __u16 pad;
    __be32 ip;
};

struct lpm_v4 {
    __u32 prefixlen;
    __be32 addr;
};

/* A connected subnet: the port it is on. */
struct connected {
    __u32 port;
};

/* Key of the static routes: the framework fills it from the YANG leaf network (inet:ipv4-prefix). */
struct route_key {
    __u32 prefixlen;
    __be32 network;
};

struct route {
    __be32 nexthop;
};

/* A neighbour: static (arp_static, only mac) or learned (arp_table). */
struct arp_entry {
    __u8 mac[6];
    __u16 pad;
    __u32 port;
};

struct arp_eth {
    __be16 htype;
    __be16 ptype;
    __u8 hlen;
    __u8 plen;
    __be16 op;
    __u8 sha[6];
    __be32 spa;
    __u8 tha[6];
    __be32 tpa;
} __attribute__((packed));

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct router_port);
} router_ports SEC(".maps");

/* Every address of the router (primary and secondary) -> its port. Written by Router.java. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __be32);
    __type(value, __u32);
} own_addrs SEC(".maps");

/* Connected subnets of all ports. Written by Router.java. */
struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 1024);
    __type(key, struct lpm_v4);
    __type(value, struct connected);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} connected SEC(".maps");

/* Static routes: the framework keeps it equal to the YANG list route (base:map). */
struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 4096);
    __type(key, struct route_key);
    __type(value, struct route);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

/* Static neighbours: the YANG list arp-entry (base:map). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __be32);
    __type(value, struct arp_entry);
} arp_static SEC(".maps");

/* Learned neighbours: read whole as the config-false list arp-table. Full: no more learning, counted. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __be32);
    __type(value, struct arp_entry);
} arp_table SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, STAT_SLOTS);
    __type(key, __u32);
    __type(value, __u64);
} router_stats SEC(".maps");

static __always_inline void count(__u32 stat)
{
    __u64 *v = bpf_map_lookup_elem(&router_stats, &stat);
    if (v)
        (*v)++;
}

static __always_inline void mac_copy(__u8 *to, const __u8 *from)
{
    __builtin_memcpy(to, from, 6);
}

static __always_inline int mac_eq(const __u8 *a, const __u8 *b)
{
    return *(const __u32 *)a == *(const __u32 *)b && *(const __u16 *)(a + 4) == *(const __u16 *)(b + 4);
}

/* The port of the connected subnet holding addr, or -1. */
static __always_inline int connected_port(__be32 addr)
{
    struct lpm_v4 key = { .prefixlen = 32, .addr = addr };
    struct connected *c = bpf_map_lookup_elem(&connected, &key);
    return c ? (int)c->port : -1;
}

/* Learns (or refreshes) a neighbour heard on port `in`; a full table stops learning. Returns 1 if full. */
static __always_inline int arp_learn(__be32 addr, const __u8 *mac, __u32 in, int create)
{
    if (bpf_map_lookup_elem(&arp_static, &addr))
        return 0; /* a static entry wins; never shadow it */
    struct arp_entry *old = bpf_map_lookup_elem(&arp_table, &addr);
    if (old && old->port == in && mac_eq(old->mac, mac))
        return 0; /* nothing new: no write, no cache line bounced */
    if (!old && !create)
        return 0;
    struct arp_entry e = { .port = in };
    mac_copy(e.mac, mac);
    if (bpf_map_update_elem(&arp_table, &addr, &e, BPF_ANY)) {
        count(STAT_ARP_LEARN_FULL);
        return 1;
    }
    return 0;
}

static __always_inline int handle_arp(struct CTXTYPE *ctx, struct pkt_metadata *md, struct router_port *p,
                                      struct ethhdr *eth, void *end)
{
    struct arp_eth *arp = (void *)(eth + 1);
    if ((void *)(arp + 1) > end)
        return RX_DROP;
    if (arp->htype != bpf_htons(1) || arp->ptype != bpf_htons(ETH_P_IP) || arp->hlen != 6 || arp->plen != 4)
        return RX_DROP;
    __u32 in = md->in_port;
    __be32 spa = arp->spa, tpa = arp->tpa;
    __u32 *owner = bpf_map_lookup_elem(&own_addrs, &tpa);
    int for_us = owner && *owner == in;
    /* Only neighbours on this port's subnets are learned (no entries for off-link senders). */
    int full = 0;
    if (spa && connected_port(spa) == (int)in)
        full = arp_learn(spa, arp->sha, in, for_us);
    if (!for_us)
        return RX_DROP;
    if (arp->op == bpf_htons(ARP_REQUEST)) {
        arp->op = bpf_htons(ARP_REPLY);
        mac_copy(arp->tha, arp->sha);
        arp->tpa = spa;
        mac_copy(arp->sha, p->mac);
        arp->spa = tpa;
        mac_copy(eth->h_dest, eth->h_source);
        mac_copy(eth->h_source, p->mac);
        count(STAT_ARP_REPLIES);
        return pcn_pkt_redirect(ctx, md, in);
    }
    if (arp->op == bpf_htons(ARP_REPLY))
        /* the slow path may hold packets waiting for this neighbour */
        return pcn_pkt_controller_md(ctx, md, REASON_ARP_REPLY, spa, full, 0);
    return RX_DROP;
}

/* One's-complement addition for incremental checksum updates (RFC 1624). */
static __always_inline __u16 csum_add16(__u16 check, __u16 add)
{
    __u32 sum = (__u32)check + add;
    return (__u16)(sum + (sum >> 16));
}

/* An ICMP echo request to one of the router's addresses becomes the echo reply, sent back where it came from. */
static __always_inline int echo_reply(struct CTXTYPE *ctx, struct pkt_metadata *md, struct router_port *p,
                                      struct ethhdr *eth, struct iphdr *ip, void *end)
{
    struct icmphdr *icmp = (void *)(ip + 1);
    if (ip->ihl != 5 || ip->protocol != PROTO_ICMP || (void *)(icmp + 1) > end
        || icmp->type != ICMP_ECHO || icmp->code != 0 || (ip->frag_off & bpf_htons(0x3fff)))
        return RX_DROP; /* the router is no host: nothing else addressed to it is taken */
    __be32 from = ip->saddr;
    ip->saddr = ip->daddr; /* swapping two words keeps the checksum */
    ip->daddr = from;
    /* TTL 64 for the reply: the word (ttl, protocol) changes by (64 - ttl) << 8 */
    ip->check = ~csum_add16(csum_add16(~ip->check, ~(__u16)bpf_htons(ip->ttl << 8)), bpf_htons(64 << 8));
    ip->ttl = 64;
    icmp->type = ICMP_ECHOREPLY; /* 8 -> 0 in the first word */
    icmp->checksum = ~csum_add16(~icmp->checksum, ~(__u16)bpf_htons(ICMP_ECHO << 8));
    mac_copy(eth->h_dest, eth->h_source);
    mac_copy(eth->h_source, p->mac);
    count(STAT_ECHO_REPLIES);
    return pcn_pkt_redirect(ctx, md, md->in_port);
}

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    /* data_end read once: clang would otherwise re-derive it from a moved ctx pointer, which TC refuses */
    void *end = pcn_data_end(ctx);
    struct ethhdr *eth = pcn_data(ctx);
    if ((void *)(eth + 1) > end)
        return RX_DROP;
    __u32 in = md->in_port;
    struct router_port *p = bpf_map_lookup_elem(&router_ports, &in);
    if (!p || !p->ip)
        return RX_DROP;
    if (eth->h_proto == ETH_P_ARP_BE)
        return handle_arp(ctx, md, p, eth, end);
    if (eth->h_proto != bpf_htons(ETH_P_IP) || !mac_eq(eth->h_dest, p->mac))
        return RX_DROP;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
        return RX_DROP;
    __be32 dst = ip->daddr;
    if (bpf_map_lookup_elem(&own_addrs, &dst))
        return echo_reply(ctx, md, p, eth, ip, end);
    if (ip->ttl <= 1) {
        count(STAT_TTL_EXCEEDED);
        return pcn_pkt_controller(ctx, md, REASON_TTL_EXCEEDED);
    }
    /* Longest prefix: a connected subnet first (a static route inside one is refused by the control plane). */
    __be32 nexthop = dst;
    int out = connected_port(dst);
    if (out < 0) {
        struct route_key key = { .prefixlen = 32, .network = dst };
        struct route *r = bpf_map_lookup_elem(&routes, &key);
        if (r) {
            nexthop = r->nexthop;
            out = connected_port(nexthop);
        }
        if (out < 0) {
            count(STAT_NO_ROUTE);
            return pcn_pkt_controller(ctx, md, REASON_NO_ROUTE);
        }
    }
    __u32 out_port = out;
    struct router_port *op = bpf_map_lookup_elem(&router_ports, &out_port);
    struct arp_entry *n = bpf_map_lookup_elem(&arp_table, &nexthop);
    if (!n)
        n = bpf_map_lookup_elem(&arp_static, &nexthop);
    if (!op || !n) {
        count(STAT_ARP_MISS);
        return pcn_pkt_controller_md(ctx, md, REASON_ARP_MISS, nexthop, out_port, 0);
    }
    mac_copy(eth->h_dest, n->mac);
    mac_copy(eth->h_source, op->mac);
    ip->check = csum_add16(ip->check, bpf_htons(0x0100)); /* TTL - 1: the word (ttl, protocol) - 0x0100 */
    ip->ttl--;
    return pcn_pkt_redirect(ctx, md, out_port);
}
