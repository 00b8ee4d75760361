// SPDX-License-Identifier: GPL-2.0-only
/* Since 6.7 a ubuf_info points to its callbacks (ops->complete). */
#include <linux/skbuff.h>

static void conftest_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			      bool success)
{
}

static const struct ubuf_info_ops conftest_ops = {
	.complete = conftest_complete,
};

const void *conftest_init(struct ubuf_info *uarg);
const void *conftest_init(struct ubuf_info *uarg)
{
	uarg->ops = &conftest_ops;
	return uarg->ops;
}
