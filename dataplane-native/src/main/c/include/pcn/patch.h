/* SPDX-License-Identifier: Apache-2.0 */
/* This file contains the patch panel map, shared by every cube object and by the core's injector. */
#ifndef PCN_PATCH_H
#define PCN_PATCH_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "consts.h"

/* The patch panel of this object's hook family; the core pins it so every cube shares one. */
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, PCN_PATCH_SLOTS);
    __type(key, __u32);
    __type(value, __u32);
} pcn_patch SEC(".maps");

#endif
