/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of the test cube "stuck": every packet goes to its (blocking) slow path. */
#include <pcn/cube.h>

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    return pcn_pkt_controller(ctx, md, 0);
}
