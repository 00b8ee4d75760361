/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi_env.h - what the PDU and text parsers need from their environment
 *
 * The parsers (iscsi_pdu.c, iscsi_text.c) are plain functions of a buffer
 * and a length, so that the same files build into the kernel and into the
 * user-space fuzz harness (tests/fuzz/).  This header gives both the same
 * names for types, errno values and big-endian loads.
 */
#ifndef __ISCSI_ENV_H
#define __ISCSI_ENV_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <scst_compat.h>
#else
#include <errno.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define U32_MAX ((u32)~0U)

static inline u32 get_unaligned_be24(const u8 *p)
{
	return (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
}

static inline u32 get_unaligned_be32(const u8 *p)
{
	return (u32)p[0] << 24 | get_unaligned_be24(p + 1);
}
#endif

#endif /* __ISCSI_ENV_H */
