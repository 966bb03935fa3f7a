// SPDX-License-Identifier: Apache-2.0
/* This file contains the XDP test program of the Java binding tests: one map of each kind it offers. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Set from Java before load: the verdict, an 8-byte and a 1-byte value echoed into events. */
const volatile __u32 verdict = XDP_PASS;
const volatile __u64 magic = 0;
const volatile __u8 tag = 0;

struct event {
	__u32 verdict;
	__u32 len;
	__u64 magic;
	__u8 tag;
	__u8 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16384);
} events SEC(".maps");

SEC("xdp")
int xdp_test(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&counters, &zero);
	if (count)
		*count += 1;

	/* array[7] mirrors the constant so tests can see it without a ring buffer */
	__u32 last = 7;
	__u64 v = verdict;
	bpf_map_update_elem(&array, &last, &v, BPF_ANY);

	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		__builtin_memset(e, 0, sizeof(*e));
		e->verdict = verdict;
		e->len = ctx->data_end - ctx->data;
		e->magic = magic;
		e->tag = tag;
		/* odd lengths exercise the consumer's handling of discarded records */
		if (e->len & 1)
			bpf_ringbuf_discard(e, 0);
		else
			bpf_ringbuf_submit(e, 0);
	}
	/* empty slot: falls through */
	bpf_tail_call(ctx, &jumps, 0);
	return verdict;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
