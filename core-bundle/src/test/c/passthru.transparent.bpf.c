/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains a transparent test cube that lets every packet through. */
#include <pcn/cube.h>

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    return RX_OK;
}
