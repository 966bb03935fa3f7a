/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of simplefwd: per input port, FORWARD, DROP or SLOWPATH. */
#include <pcn/cube.h>

enum { ACTION_DROP, ACTION_SLOWPATH, ACTION_FORWARD }; /* the values of the YANG enumeration "action" */

struct action {
    __u32 action;
    __u32 outport;
};

/* Input port index -> action; a zeroed slot is DROP. The core keeps it equal to the YANG list "actions" (base:map). */
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
    if (!a)
        return RX_DROP;
    pcn_log_pkt(ctx, LOG_TRACE, md);
    switch (a->action) {
    case ACTION_FORWARD:
        return pcn_pkt_redirect(ctx, md, a->outport);
    case ACTION_SLOWPATH:
        return pcn_pkt_controller(ctx, md, 0);
    default:
        return RX_DROP;
    }
}
