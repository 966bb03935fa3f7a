// SPDX-License-Identifier: Apache-2.0
/* This file contains the harness programs of the router bench (RouterBench): a live-frames generator
 * that writes the frame afresh before each send, a sink counting IPv4 frames, and XDP_PASS. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define FRAME 64

/* Set before load: the veth the generator transmits on, and the frame it sends. */
const volatile __u32 target_ifindex = 0;
const volatile __u64 gen_frame[FRAME / 8] = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

/*
 * The live-frames page pool recycles a page with whatever the receivers wrote into it; a router
 * rewrites MACs and TTL in place, so without this copy it would soon see its own output (and TTL 1).
 */
SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	if (data + FRAME > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	/* word by word through the volatile: a memcpy would let clang fold the zero initializer in */
#pragma unroll
	for (int i = 0; i < FRAME / 8; i++)
		((__u64 *)data)[i] = gen_frame[i];
	return bpf_redirect(target_ifindex, 0);
}

SEC("xdp")
int xdp_sink(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	__u32 zero = 0;
	__u64 *count;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_DROP;
	count = bpf_map_lookup_elem(&sink_count, &zero);
	if (count)
		*count += 1;
	return XDP_DROP;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
