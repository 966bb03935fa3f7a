// SPDX-License-Identifier: Apache-2.0
/* This file contains the bench harness programs: the live-frames generator, the counting sink and
 * the XDP_PASS program that gives a veth a receive path for TC devices under test. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define FRAME 64

/*
 * Set before load (frozen, so the verifier prunes what a bench does not use): the veth the generator
 * transmits on; the EtherType the sink counts (bench frames carry the IEEE local experimental 0x88B5,
 * the router bench's are IPv4); and, when gen_rewrite is set, the frame the generator writes afresh.
 */
const volatile __u32 target_ifindex = 0;
const volatile __u16 sink_ethertype = 0x88B5;
const volatile __u8 gen_rewrite = 0;
const volatile __u64 gen_frame[FRAME / 8] = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

/*
 * The live-frames page pool recycles a page with whatever the receivers wrote into it; a router
 * rewrites MACs and TTL in place, so without the copy it would soon see its own output (and TTL 1).
 */
SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	if (gen_rewrite) {
		void *data = (void *)(long)ctx->data;
		if (data + FRAME > (void *)(long)ctx->data_end)
			return XDP_ABORTED;
		/* word by word through the volatile: a memcpy would let clang fold the zero initializer in */
#pragma unroll
		for (int i = 0; i < FRAME / 8; i++)
			((__u64 *)data)[i] = gen_frame[i];
	}
	return bpf_redirect(target_ifindex, 0);
}

SEC("xdp")
int xdp_sink(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	__u32 zero = 0;
	__u64 *count;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end || eth->h_proto != bpf_htons(sink_ethertype))
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
