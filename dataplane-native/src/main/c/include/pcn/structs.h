/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the structures the data path shares with the control plane (layouts are ABI). */
#ifndef PCN_STRUCTS_H
#define PCN_STRUCTS_H

#include <linux/types.h>
#include "consts.h"

/* Per-packet metadata handed to handle_rx(); the core fills it before the cube runs. */
struct pkt_metadata {
    __u16 in_port;    /* data-path index of the port the packet arrived on */
    __u16 reserved;
    __u32 packet_len; /* bytes of the frame */
    void *stats;      /* framework use: this CPU's struct pcn_stats_table, looked up once per packet */
};

/* One port of a cube, indexed by data-path port index (map pcn_ports). 8 bytes. */
struct pcn_port {
    __u16 peer_kind; /* PCN_PEER_* */
    __u16 peer_port; /* PCN_PEER_CUBE, PCN_PEER_LINK: the input port of the peer cube */
    __u32 target;    /* PCN_PEER_NETDEV: the peer's ifindex; PCN_PEER_CUBE, _LINK: the peer's patch-panel slot */
};

/* Per-port counters, per CPU (map pcn_port_stats); the core sums the CPUs. 48 bytes. */
struct pcn_port_stats {
    __u64 rx_packets;
    __u64 rx_bytes;
    __u64 tx_packets;
    __u64 tx_bytes;
    __u64 drop_packets;
    __u64 drop_bytes;
};

/* All ports' counters of one CPU: the single value of pcn_port_stats, so a packet needs one lookup. */
struct pcn_stats_table {
    struct pcn_port_stats port[PCN_MAX_PORTS];
};

/* Header of a slow-path record in pcn_slowpath, followed by captured_len packet bytes. 24 bytes. */
struct pcn_pkt_in {
    __u16 in_port;
    __u16 reason;
    __u32 packet_len;   /* bytes of the packet on the wire */
    __u32 captured_len; /* bytes that follow this header */
    __u32 md[3];        /* cube-defined metadata (pcn_pkt_controller_md) */
};

/*
 * Header of an injected frame (see PCN_INJ_* in consts.h), 24 bytes, followed by the original frame.
 * An Ethernet header first, so that the injector veth carries it like any frame; the fields after it
 * are in network byte order, written by the core (Injector.java).
 */
struct pcn_inj_hdr {
    __u8 dst[6];      /* ignored */
    __u8 src[6];      /* ignored */
    __be16 ethertype; /* PCN_INJ_ETHERTYPE */
    __be32 magic;     /* PCN_INJ_MAGIC */
    __be16 family;    /* PCN_INJ_FAMILY_XDP or PCN_INJ_FAMILY_TC */
    __be16 in_port;   /* input port of the receiving cube */
    __be16 slot;      /* patch-panel slot of the receiving cube */
} __attribute__((packed));

#endif
