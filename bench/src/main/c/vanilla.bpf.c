// SPDX-License-Identifier: Apache-2.0
/* This file contains the vanilla devices under test: one redirect and nothing else, XDP and TC. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

/* Set before load: the TC program's output netdev (the XDP one uses tx_port[0]). */
const volatile __u32 out_ifindex = 0;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

SEC("xdp")
int xdp_fwd(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, 0);
}

SEC("tc")
int tc_fwd(struct __sk_buff *skb)
{
	return bpf_redirect(out_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
