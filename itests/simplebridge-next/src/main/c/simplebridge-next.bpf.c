/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains simplebridge 0.2.0 for CubeUpgradeIT: the shipped data path, unchanged, behind one change a
 * test can see from the hosts: UDP datagrams to the discard port (9) are dropped in the bridge. Its maps are the
 * shipped ones, so it takes over a running instance with its learned entries and counters.
 */
#include <pcn/cube.h>
#include <linux/in.h>
#include <linux/udp.h>

/* The shipped handle_rx, renamed: cube.h is already included above, so only the cube's own definition is. */
#define handle_rx shipped_handle_rx
#include "../../../../../cube-bundles/simplebridge/src/main/c/simplebridge.bpf.c"
#undef handle_rx

#define DISCARD_PORT 9

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    void *data_end = pcn_data_end(ctx);
    struct ethhdr *eth = pcn_data(ctx);
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP) && ip->protocol == IPPROTO_UDP
            && ip->ihl == 5) {
        struct udphdr *udp = (void *)(ip + 1);
        if ((void *)(udp + 1) <= data_end && udp->dest == bpf_htons(DISCARD_PORT))
            return RX_DROP;
    }
    return shipped_handle_rx(ctx, md);
}
