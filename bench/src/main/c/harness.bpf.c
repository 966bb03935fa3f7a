// SPDX-License-Identifier: Apache-2.0
/* This file contains the bench harness programs: the live-frames generator, the counting sink and
 * the XDP_PASS program that gives a veth a receive path for TC devices under test. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Bench frames carry the IEEE local experimental EtherType; the sink counts only those. */
#define BENCH_ETHERTYPE 0x88B5

/* Set before load: the veth the generator transmits on. */
const volatile __u32 target_ifindex = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	return bpf_redirect(target_ifindex, 0);
}

SEC("xdp")
int xdp_sink(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	__u32 zero = 0;
	__u64 *count;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end || eth->h_proto != bpf_htons(BENCH_ETHERTYPE))
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
