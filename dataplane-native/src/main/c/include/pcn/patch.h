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

/*
 * XDP metadata across a tail call (see PCN_MD_WORD): a per-CPU word, pinned next to the panel so the
 * writer and the reader (different objects) share it. A tail call runs at once on the same CPU with
 * bottom halves off, so nothing else can use the word in between; unlike data_meta it costs no helper
 * call. TC uses skb->cb[0] instead. (On PREEMPT_RT kernels XDP runs with only migration disabled and
 * another run could interleave: data_meta would be the carrier there; not supported yet.)
 */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} pcn_md SEC(".maps");

#endif
