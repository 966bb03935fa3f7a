/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the maps the framework owns in every cube object; the core fills them. */
#ifndef PCN_MAPS_H
#define PCN_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "consts.h"
#include "structs.h"
#include "patch.h"

/* ifindex (< PCN_IFINDEX_DIRECT) of a netdev the cube is attached to -> data-path port index + 1 (0: none). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PCN_IFINDEX_DIRECT);
    __type(key, __u32);
    __type(value, __u32);
} pcn_port_of_ifindex SEC(".maps");

/* The same for ifindex >= PCN_IFINDEX_DIRECT: ifindex -> port index + 1. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_port_of_big_ifindex SEC(".maps");

/* Data-path port index -> struct pcn_port. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct pcn_port);
} pcn_ports SEC(".maps");

/* Per-port counters (one entry: struct pcn_stats_table), kept by the entry programs and pcn_pkt_redirect(). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct pcn_stats_table);
} pcn_port_stats SEC(".maps");

#ifdef PCN_HOOK_XDP
/* Data-path port index -> peer netdev, for XDP redirects (the kernel bulks devmap transmits). */
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_tx_devmap SEC(".maps");
#endif


/*
 * Port index -> the program that receives what leaves through that port towards another cube (the
 * peer cube's pcn_chain, or the first transparent cube on the way); the core keeps it up to date.
 */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_peer_progs SEC(".maps");

/* This cube's SLAVE µCube programs (see PCN_UCUBE_SLOTS); shared by all its programs. */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, PCN_UCUBE_SLOTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_ingress_progs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, PCN_UCUBE_SLOTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_egress_progs SEC(".maps");

#ifdef PCN_TRANSPARENT
/* The program a transparent cube hands packets to when pcn_next says CUBE: entry 0. */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} pcn_next_prog SEC(".maps");

/* Where a transparent cube sends a packet its handle_rx() let through (RX_OK): entry 0. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct pcn_port);
} pcn_next SEC(".maps");
#endif

/* Slow path: struct pcn_pkt_in records, consumed by the core in Java. Size set before load. */
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} pcn_slowpath SEC(".maps");

/* Slow-path copies lost (pcn_slowpath full, or the packet unreadable), per CPU; read by the core's metrics. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} pcn_slowpath_drops SEC(".maps");

#endif
