/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the constants of the cube data-path contract, shared with the control plane. */
#ifndef PCN_CONSTS_H
#define PCN_CONSTS_H

/* Verdicts of handle_rx(). Mirrored in io.polycube.core (DataplaneLayout). */
#define RX_OK 0       /* hand the packet to the kernel stack of the device it arrived on */
#define RX_DROP 1     /* drop it */
#define RX_REDIRECT 2 /* pcn_pkt_redirect() queued it for its output port */
#define RX_CONTROLLER 3 /* pcn_pkt_controller() took it to the slow path (dropped here, not counted as a drop) */

/* Ports of one cube: data-path index 0 .. PCN_MAX_PORTS-1 (pcn-base allows 128 ports). */
#define PCN_MAX_PORTS 128

/*
 * Devices with an ifindex below this find their port with one direct (array) lookup; the rare larger
 * ifindex goes through a hash. The lookup is on every packet from a netdev, so it must be cheap.
 */
#define PCN_IFINDEX_DIRECT 4096

/* Kinds of port peer in struct pcn_port.peer_kind. */
#define PCN_PEER_NONE 0
#define PCN_PEER_NETDEV 1
#define PCN_PEER_CUBE 2
#define PCN_PEER_STACK 3 /* transparent cubes only: hand the packet on to the kernel stack */
/*
 * A cube port whose peer program (pcn_peer_progs[port], pcn_next_prog) is the receiving cube's
 * pcn_link_<peer_port>: that program knows its input port, so the hop carries no metadata. target and
 * peer_port are as for PCN_PEER_CUBE (the slow path injects through the panel with them).
 */
#define PCN_PEER_LINK 4

/*
 * Value of pcn_port_of_ifindex: the low 16 bits are the port index + 1 (0: no port); the high 16
 * bits, when not 0, are the patch-panel slot of the first transparent cube on that port's ingress.
 */
#define PCN_IFPORT_INDEX(v) (((v) & 0xffff) - 1)
#define PCN_IFPORT_INGRESS_SLOT(v) ((v) >> 16)

/*
 * The patch panel: one PROG_ARRAY per hook family (XDP, TC) shared by every cube object through a
 * bpffs pin. Slot N holds the pcn_chain program of one cube instance; slot 0 is never used, so a zeroed
 * pcn_port.slot can never reach a cube. Slots are allocated by the core (InstanceManager).
 */
#define PCN_PATCH_SLOTS 1024

/*
 * Metadata a cube hands to the next one across a tail call: one 32-bit word, the magic in the high
 * half and the receiving cube's input port in the low half. It travels in the per-CPU word pcn_md
 * (XDP) or in skb->cb[0] (TC).
 */
#define PCN_MD_MAGIC 0x9c0bu
#define PCN_MD_WORD(port) ((PCN_MD_MAGIC << 16) | (__u32)(port))

/*
 * Tail calls to a port's peer (pcn_peer_progs) use a constant key for ports below this, so the JIT
 * emits a direct jump; a computed key costs an indirect jump (a retpoline on many CPUs, ~10 ns).
 */
#define PCN_DIRECT_PORTS 16

/*
 * Every cube object has, besides pcn_entry and pcn_chain, one pcn_link_<N> program per input port
 * N < PCN_LINK_PORTS: the same cube with N as a constant input port. The core puts it in the sender's
 * pcn_peer_progs when port N's peer is a cube port (PCN_PEER_LINK), which saves the metadata push and
 * pop of a hop; higher ports and hand-offs that need metadata use pcn_chain. Each one is a copy of the
 * cube for the verifier, so a big cube may define a smaller number before including pcn/cube.h.
 */
#ifndef PCN_LINK_PORTS
#define PCN_LINK_PORTS PCN_DIRECT_PORTS
#endif

/*
 * µCubes: a cube's data path may be several programs. Index 0 is the MASTER (pcn_entry + pcn_chain);
 * SLAVE programs live in the cube's own prog arrays at 1 .. PCN_UCUBE_SLOTS-1 and are reached with
 * call_ingress_program(ctx, md, idx) / call_egress_program(ctx, md, idx), the input port in the
 * metadata. The control plane names them 1..63 (ingress) and PCN_UCUBE_SLOTS + 1.. (egress).
 */
#define PCN_UCUBE_SLOTS 64

/* Bytes of a packet copied to the slow path at most (an Ethernet frame without FCS). */
#define PCN_PKT_IN_MAX 1514
/*
 * A slow-path record reserves a constant size (the verifier wants one), so small packets (ARP, ICMP,
 * TCP control) use a small class: 24 + 256 bytes of ring instead of 24 + 1514.
 */
#define PCN_PKT_IN_SMALL 256

/*
 * The injector (packet_out INGRESS, and EGRESS into a peer cube): the core writes
 *   struct pcn_inj_hdr (24 bytes) + the original frame
 * with AF_PACKET to its veth pcninj0; the injector programs on the peer pcninj1 check the magic,
 * strip the header and tail-call patch-panel slot `slot` of the hook family `family`, with in_port
 * in the metadata (PCN_MD_WORD), exactly as a cube peer would. Mirrored in DataplaneLayout.
 */
#define PCN_INJ_ETHERTYPE 0x88B5 /* IEEE 802 local experimental ethertype 1 */
#define PCN_INJ_MAGIC 0x70636e6fu /* "pcno" */
#define PCN_INJ_FAMILY_XDP 1
#define PCN_INJ_FAMILY_TC 2
/* Largest original frame the injector carries (the injector veth has a larger MTU). */
#define PCN_INJ_FRAME_MAX 1514

#endif
