/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of helloworld: per input port, DROP, SLOWPATH or FORWARD. */
#include <pcn/cube.h>

enum { ACTION_DROP, ACTION_SLOWPATH, ACTION_FORWARD }; /* the YANG enumeration "action", in order */

/* The value the core writes for one entry of the YANG list "actions": leaves matched to fields by name. */
struct action {
    __u32 action;  /* leaf action */
    __u32 outport; /* leaf outport: the port's data-path index */
};

/* Input port index -> action. base:map "actions" in the YANG: the core keeps it equal to the list. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PCN_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct action);
} actions SEC(".maps");

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    __u32 in = md->in_port;
    struct action *a = bpf_map_lookup_elem(&actions, &in);
    if (!a) /* an ARRAY always has the slot; a port without entry reads as zero: DROP */
        return RX_DROP;
    switch (a->action) {
    case ACTION_SLOWPATH:
        return pcn_pkt_controller(ctx, md, 0); /* HelloWorld.packetIn logs it */
    case ACTION_FORWARD:
        if (a->outport == in) /* never back out of the input port */
            return RX_DROP;
        return pcn_pkt_redirect(ctx, md, a->outport);
    default:
        return RX_DROP;
    }
}
