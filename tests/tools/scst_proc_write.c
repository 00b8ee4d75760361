// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_proc_write.c - write a command to a /proc/scsi_tgt file the way an
 * administrator's echo would, and say how it went
 *
 *   scst_proc_write FILE COMMAND
 *
 * One open(), one write() of all of COMMAND, one close().  Prints "OK", or
 * the errno name (EINVAL, EEXIST, ...) of the call that failed, and exits
 * with 0 or 1.  The tests call this for every command they write: a
 * program is much cheaper than an interpreter in an emulated guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failed(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		puts(name);
	else
		printf("%d\n", err);
	return 1;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: scst_proc_write FILE COMMAND\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0)
		return failed(errno);
	if (write(fd, argv[2], strlen(argv[2])) < 0) {
		int err = errno;

		close(fd);
		return failed(err);
	}
	if (close(fd) < 0)
		return failed(errno);
	puts("OK");
	return 0;
}
