// SPDX-License-Identifier: Apache-2.0
/* This file contains the live-traffic test programs: a generator that redirects every frame to a
 * device, a counter of test frames that drops everything, and TC programs: one to swap in, one that
 * counts test frames and drops them (with an XDP pass so veth frames reach TC at all). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Only test frames count (IEEE local experimental EtherType): the stack's own frames (IPv6
 * neighbour discovery on a fresh link) must not. */
#define TEST_ETHERTYPE 0x88B5

/* Set from Java before load: where the generator sends, which counter slot this object counts in. */
const volatile __u32 target_ifindex = 0;
const volatile __u32 slot = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	return bpf_redirect(target_ifindex, 0);
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 key = slot;
	__u64 *count;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end || eth->h_proto != bpf_htons(TEST_ETHERTYPE))
		return XDP_DROP;
	count = bpf_map_lookup_elem(&counts, &key);
	if (count)
		*count += 1;
	return XDP_DROP;
}

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	__u32 key = slot;
	__u64 *count;

	if (skb->protocol != bpf_htons(TEST_ETHERTYPE))
		return TC_ACT_OK;
	count = bpf_map_lookup_elem(&counts, &key);
	if (count)
		*count += 1;
	return TC_ACT_SHOT;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
