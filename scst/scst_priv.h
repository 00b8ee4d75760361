/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_priv.h - declarations shared by the files of scst.ko only
 */
#ifndef __SCST_PRIV_H
#define __SCST_PRIV_H

#include <scst.h>

/* scst_proc.c: the /proc/scsi_tgt tree */
int scst_proc_init(void);
void scst_proc_exit(void);

#endif /* __SCST_PRIV_H */
