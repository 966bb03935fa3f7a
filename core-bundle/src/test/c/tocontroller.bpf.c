/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains a test cube: every packet goes to the slow path with reason 7 and md {in_port, 0xb, 0xc}. */
#include <pcn/cube.h>

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    return pcn_pkt_controller_md(ctx, md, 7, md->in_port, 0xb, 0xc);
}
