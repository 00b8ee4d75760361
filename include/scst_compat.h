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

#endif /* __SCST_COMPAT_H */
