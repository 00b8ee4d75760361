// SPDX-License-Identifier: GPL-2.0-only
/* Since 6.9 a block device is opened as a struct file. */
#include <linux/blkdev.h>
#include <linux/fs.h>

struct file *conftest_open(const char *path);
struct file *conftest_open(const char *path)
{
	return bdev_file_open_by_path(path, BLK_OPEN_READ, NULL, NULL);
}
