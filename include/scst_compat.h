/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_compat.h - the one place where kernel API differences are handled
 *
 * SCST_HAVE_* come from scripts/conftest.sh, which compiles a small test
 * against the target kernel for each of them (never LINUX_VERSION_CODE).
 */
#ifndef __SCST_COMPAT_H
#define __SCST_COMPAT_H

#ifdef SCST_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * Since 6.4 scsi_host_alloc() takes a const host template; before, the
 * mid-layer wrote to it, so it must not be const there.
 */
#ifdef SCST_HAVE_CONST_SCSI_HOST_TEMPLATE
#define SCST_SHT_CONST const
#else
#define SCST_SHT_CONST
#endif

/*
 * How a struct ubuf_info (pages lent to a socket with MSG_ZEROCOPY) names
 * its completion callback: through a table of operations since 6.7, as a
 * function pointer of its own before.  SCST_UBUF_OPS() defines what
 * scst_ubuf_set_ops() installs; the callback has the same type in both.
 */
#ifdef SCST_HAVE_UBUF_INFO_OPS
#define SCST_UBUF_OPS(name, fn) \
	static const struct ubuf_info_ops name = { .complete = (fn) }
#define scst_ubuf_set_ops(uarg, name) ((uarg)->ops = &(name))
#else
#define SCST_UBUF_OPS(name, fn) \
	static void (*const name)(struct sk_buff *, struct ubuf_info *, bool) = (fn)
#define scst_ubuf_set_ops(uarg, name) ((uarg)->callback = (name))
#endif

#endif /* __SCST_COMPAT_H */
