// SPDX-License-Identifier: Apache-2.0
/* This file contains a program the verifier must reject: it reads the packet without a bounds check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unused SEC(".maps");

SEC("xdp")
int xdp_reject(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	return data[20] ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
