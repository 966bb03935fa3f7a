/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains a test cube for upgrades: portswap's forwarding plus a table 'seen' whose value is __u64. */
#include <pcn/cube.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} seen SEC(".maps");

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    return pcn_pkt_redirect(ctx, md, md->in_port ^ 1);
}
