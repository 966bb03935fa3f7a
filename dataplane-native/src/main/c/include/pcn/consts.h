/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the constants of the cube data-path contract, shared with the control plane. */
#ifndef PCN_CONSTS_H
#define PCN_CONSTS_H

/* Verdicts of handle_rx(). Mirrored in io.polycube.core (DataplaneLayout). */
#define RX_OK 0       /* hand the packet to the kernel stack of the device it arrived on */
#define RX_DROP 1     /* drop it */
#define RX_REDIRECT 2 /* pcn_pkt_redirect() queued it for its output port */

/* Ports of one cube: data-path index 0 .. PCN_MAX_PORTS-1 (pcn-base allows 128 ports). */
#define PCN_MAX_PORTS 128

/* Kinds of port peer in struct pcn_port.peer_kind. */
#define PCN_PEER_NONE 0
#define PCN_PEER_NETDEV 1

/* Bytes of a packet copied to the slow path at most (an Ethernet frame without FCS). */
#define PCN_PKT_IN_MAX 1514

#endif
