/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the data path of the test cube "unverifiable": the verifier refuses it, on purpose. */
#include <pcn/cube.h>

static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
{
    struct ethhdr *eth = pcn_data(ctx);
    /* read without checking against pcn_data_end(ctx): "invalid access to packet" */
    if (eth->h_proto == bpf_htons(ETH_P_IP))
        return RX_DROP;
    return pcn_pkt_redirect(ctx, md, md->in_port ^ 1);
}
