/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains the one include of a cube's data path. The cube defines
 *   static __always_inline int handle_rx(struct CTXTYPE *ctx, struct pkt_metadata *md)
 * returning RX_OK, RX_DROP or the result of pcn_pkt_redirect()/pcn_pkt_controller().
 * The same source is compiled once with -DPCN_HOOK_XDP and once with -DPCN_HOOK_TC.
 */
#ifndef PCN_CUBE_H
#define PCN_CUBE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "consts.h"
#include "structs.h"
#include "hook.h"
#include "maps.h"
#include "helpers.h"
#include "log.h"
#include "entry.h"

#endif
