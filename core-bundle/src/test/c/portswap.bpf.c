/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains a test cube: every packet leaves through the port paired with its input (0<->1, 2<->3). */
#include <pcn/cube.h>

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    return pcn_pkt_redirect(ctx, md, md->in_port ^ 1);
}
