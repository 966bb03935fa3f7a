/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains pcn_log(), the data path's logger. A call at a level above the instance's
 * loglevel costs nothing: pcn_log_level is a load-time constant (frozen .rodata), so the verifier
 * drops the branch. Records go through pcn_log_ring to the core, which formats them like the Java
 * side (CubeContext.log): printf conversions plus %I (IPv4, network order), %M (MAC, see pcn_mac())
 * and %P (port index, printed as the port's name).
 */
#ifndef PCN_LOG_H
#define PCN_LOG_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "hook.h"
#include "structs.h"

/* Levels, as the pcn-base loglevel enumeration; mirrored in io.polycube.core.spi.LogLevel. */
#define LOG_OFF 0
#define LOG_CRITICAL 1
#define LOG_ERR 2
#define LOG_WARN 3
#define LOG_INFO 4
#define LOG_DEBUG 5
#define LOG_TRACE 6

#define PCN_LOG_FMT_MAX 96
#define PCN_LOG_MAX_ARGS 6

/* Set by the core before load from the instance's loglevel. */
const volatile __u32 pcn_log_level = LOG_INFO;

/* One log record. 152 bytes. */
struct pcn_log_rec {
    __u32 level;
    __u32 fmt_len;
    __u64 args[PCN_LOG_MAX_ARGS];
    char fmt[PCN_LOG_FMT_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
} pcn_log_ring SEC(".maps");

static __always_inline void pcn_log_emit(__u32 level, const char *fmt, __u32 fmt_len, const __u64 *args)
{
    struct pcn_log_rec *rec = bpf_ringbuf_reserve(&pcn_log_ring, sizeof(*rec), 0);
    if (!rec)
        return;
    rec->level = level;
    rec->fmt_len = fmt_len;
#pragma unroll
    for (int i = 0; i < PCN_LOG_MAX_ARGS; i++)
        rec->args[i] = args[i];
    __builtin_memcpy(rec->fmt, fmt, fmt_len);
    bpf_ringbuf_submit(rec, 0);
}

/* The 6 bytes of a MAC address as one argument for %M. */
static __always_inline __u64 pcn_mac(const unsigned char *mac)
{
    __u64 v = 0;
    __builtin_memcpy(&v, mac, 6);
    return v;
}

/* pcn_log(ctx, LOG_DEBUG, "from %I on %P", ip->saddr, md->in_port): at most 6 integer arguments. */
#define pcn_log(ctx, level, fmt, ...)                                                  \
    do {                                                                               \
        _Static_assert(sizeof(fmt) <= PCN_LOG_FMT_MAX, "pcn_log: format too long");    \
        if ((level) <= pcn_log_level) {                                                \
            __u64 __pcn_args[PCN_LOG_MAX_ARGS] = {__VA_ARGS__};                        \
            pcn_log_emit((level), (fmt), sizeof(fmt), __pcn_args);                     \
        }                                                                              \
    } while (0)

/* Traces a packet: input port, MACs and, for IPv4, addresses. Free when level is above the loglevel. */
static __always_inline void pcn_log_pkt(struct CTXTYPE *ctx, __u32 level, struct pkt_metadata *md)
{
    if (level > pcn_log_level)
        return;
    struct ethhdr *eth = pcn_data(ctx);
    if ((void *)(eth + 1) > pcn_data_end(ctx))
        return;
    struct iphdr *ip = (void *)(eth + 1);
    if (eth->h_proto == bpf_htons(ETH_P_IP) && (void *)(ip + 1) <= pcn_data_end(ctx))
        pcn_log(ctx, level, "in %P: %M > %M, %I > %I", md->in_port, pcn_mac(eth->h_source), pcn_mac(eth->h_dest),
                ip->saddr, ip->daddr);
    else
        pcn_log(ctx, level, "in %P: %M > %M, ethertype 0x%04x", md->in_port, pcn_mac(eth->h_source),
                pcn_mac(eth->h_dest), bpf_ntohs(eth->h_proto));
}

#endif
