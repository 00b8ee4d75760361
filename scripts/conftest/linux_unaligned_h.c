// SPDX-License-Identifier: GPL-2.0-only
/* Since 6.12 the unaligned access helpers are <linux/unaligned.h>. */
#include <linux/unaligned.h>

u32 conftest_be32(const void *p);
u32 conftest_be32(const void *p)
{
	return get_unaligned_be32(p);
}
