/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains pcn_flood(): a frame sent out of every port of a cube but its input port. Include
 * it after pcn/cube.h. The kernel cannot hand one frame to several cubes, so:
 *  - netdev peers get it in the kernel: XDP by one devmap broadcast (BPF_F_BROADCAST with
 *    BPF_F_EXCLUDE_INGRESS; pcn_tx_devmap holds exactly the ports whose peer is a netdev), TC by
 *    bpf_clone_redirect to each one but the last, which gets the original;
 *  - ports whose peer is another cube: the first one gets the frame by the usual tail call when no
 *    netdev needs the original (always in TC, where netdevs take clones; in XDP only without netdev
 *    peers), every other one gets a copy through the slow path: one packet_in with reason
 *    PCN_REASON_FLOOD, md[0] = the port index already served in the kernel (PCN_FLOOD_NONE if none),
 *    and the cube's Java sends the copy out of each remaining cube port (packet_out EGRESS, into the
 *    peer cube). So cube peers always receive floods; the slow path only carries the extra copies.
 * The input port is never an output: the frame never goes back where it came from.
 *
 * A cube that floods to a subset of its ports, or changes the frame per port (bridge: VLAN members,
 * tags), defines before including this file, with `arg` the value it passes to pcn_flood_arg():
 *  - PCN_FLOOD_MEMBER(ctx, md, port, arg): non-zero if port takes the flood (default: every port);
 *  - PCN_FLOOD_PREPARE(ctx, md, port, arg): runs right before the frame leaves towards port by a TC
 *    clone or redirect or a tail call (not for the XDP broadcast: there the devmap's egress programs
 *    do it, see PCN_FLOOD_DEVMAP);
 *  - PCN_FLOOD_DEVMAP: the devmap the XDP broadcast goes through (default pcn_tx_devmap); a cube's own
 *    devmap may give each entry an egress program (struct bpf_devmap_val) that drops or fixes the copy.
 * A slow-path copy carries arg in md[2].
 */
#ifndef PCN_FLOOD_H
#define PCN_FLOOD_H

#include "helpers.h"

/* Slow-path reason of a flood copy for cube ports (cubes keep their own reasons below this). */
#define PCN_REASON_FLOOD 0xf100
/* md[0] of a flood copy when no cube port got the frame in the kernel. */
#define PCN_FLOOD_NONE 0xffffu

#ifndef PCN_FLOOD_MEMBER
#define PCN_FLOOD_MEMBER(ctx, md, port, arg) 1
#endif
#ifndef PCN_FLOOD_PREPARE
#define PCN_FLOOD_PREPARE(ctx, md, port, arg) ((void)0)
#endif
#ifndef PCN_FLOOD_DEVMAP
#define PCN_FLOOD_DEVMAP pcn_tx_devmap
#endif

/* What the per-port step of a flood carries from port to port (bpf_loop state, on the caller's stack). */
struct pcn_flood_state {
    struct CTXTYPE *ctx;
    struct pkt_metadata *md;
    __u32 first_cube;   /* lowest port whose peer is a cube, PCN_FLOOD_NONE if none */
    __u32 cube_ports;
    __u32 netdevs;
    __u32 last_ifindex; /* TC: the netdev that gets the original (the others got clones) */
    __u32 last_port;    /* TC: its port index */
    __u32 arg;          /* the cube's value for PCN_FLOOD_MEMBER / PCN_FLOOD_PREPARE */
};

/*
 * One port of a flood. A bpf_loop callback, not an open-coded loop: the verifier checks it once,
 * where 128 unrolled iterations with their branches exceed its budget.
 */
static long pcn_flood_port(__u64 index, void *data)
{
    struct pcn_flood_state *st = data;
    __u32 key = (__u32)index;
    if (key == st->md->in_port)
        return 0;
    struct pcn_port *port = bpf_map_lookup_elem(&pcn_ports, &key);
    if (!port)
        return 1;
    if (!PCN_FLOOD_MEMBER(st->ctx, st->md, key, st->arg))
        return 0;
    if (port->peer_kind == PCN_PEER_NETDEV) {
        st->netdevs++;
        pcn_count_tx(st->md, key); /* TC: a clone now, or the original at the end; XDP: the broadcast */
#ifdef PCN_HOOK_TC
        if (st->last_ifindex) {
            PCN_FLOOD_PREPARE(st->ctx, st->md, st->last_port, st->arg);
            bpf_clone_redirect(st->ctx, st->last_ifindex, 0);
        }
        st->last_ifindex = port->target;
        st->last_port = key;
#endif
    } else if (port->peer_kind == PCN_PEER_CUBE || port->peer_kind == PCN_PEER_LINK) {
        st->cube_ports++;
        if (st->first_cube == PCN_FLOOD_NONE)
            st->first_cube = key;
    }
    return 0;
}

/*
 * Floods the frame to ports 0 .. bound-1 except md->in_port (bound: one past the highest port index
 * in use, at most PCN_MAX_PORTS) that PCN_FLOOD_MEMBER accepts. Returns the verdict for handle_rx();
 * RX_DROP if no port took it.
 */
static __always_inline int pcn_flood_arg(struct CTXTYPE *ctx, struct pkt_metadata *md, __u32 bound, __u32 arg)
{
    struct pcn_flood_state st = { .ctx = ctx, .md = md, .first_cube = PCN_FLOOD_NONE, .arg = arg };
    if (bound > PCN_MAX_PORTS)
        bound = PCN_MAX_PORTS;
    bpf_loop(bound, pcn_flood_port, &st, 0);
#ifdef PCN_HOOK_XDP
    if (st.netdevs) {
        /* The input port is excluded by device: only right if the frame came in from that device. */
        __u32 in_key = md->in_port;
        struct pcn_port *in = bpf_map_lookup_elem(&pcn_ports, &in_key);
        if (in && in->peer_kind == PCN_PEER_NETDEV && in->target != ctx->ingress_ifindex)
            /* injected (packet_out INGRESS): a broadcast would go back out of it; the slow path sends all */
            return pcn_pkt_controller_md(ctx, md, PCN_REASON_FLOOD, PCN_FLOOD_NONE, 1, arg);
        if (st.cube_ports)
            pcn_pkt_controller_md(ctx, md, PCN_REASON_FLOOD, PCN_FLOOD_NONE, 0, arg);
        if (bpf_redirect_map(&PCN_FLOOD_DEVMAP, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS) != XDP_REDIRECT)
            return RX_DROP;
        return RX_REDIRECT;
    }
#else
    if (st.last_ifindex) {
        PCN_FLOOD_PREPARE(ctx, md, st.last_port, arg);
        if (!st.cube_ports)
            return bpf_redirect(st.last_ifindex, 0) == TC_ACT_REDIRECT ? RX_REDIRECT : RX_DROP;
        bpf_clone_redirect(ctx, st.last_ifindex, 0);
    }
#endif
    if (!st.cube_ports)
        return RX_DROP;
    if (st.cube_ports > 1)
        pcn_pkt_controller_md(ctx, md, PCN_REASON_FLOOD, st.first_cube, 0, arg);
    PCN_FLOOD_PREPARE(ctx, md, st.first_cube, arg);
    return pcn_pkt_redirect(ctx, md, st.first_cube);
}

static __always_inline int pcn_flood(struct CTXTYPE *ctx, struct pkt_metadata *md, __u32 bound)
{
    return pcn_flood_arg(ctx, md, bound, 0);
}

#endif
