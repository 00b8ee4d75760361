// SPDX-License-Identifier: GPL-2.0-only
/* Since 6.4 scsi_host_alloc() takes a const host template. */
#include <scsi/scsi_host.h>

static const struct scsi_host_template conftest_sht;

void *conftest_alloc(void);
void *conftest_alloc(void)
{
	return scsi_host_alloc(&conftest_sht, 0);
}
