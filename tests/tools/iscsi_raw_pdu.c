// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_raw_pdu - send one malformed PDU to an iSCSI target and check that
 * the target closes that connection (within 10 s), whatever it answers
 * first.  For tests/areas/70-iscsi.sh.
 *
 *   iscsi_raw_pdu ADDR PORT badop|badkey|bigdata
 *
 * badop:   a header with an opcode no initiator sends (0x3c)
 * badkey:  a Login Request whose text has a pair without '='
 * bigdata: a Login Request announcing 64 KiB of data (over 8 KiB)
 *
 * Exit status: 0 if the target closed the connection, 1 otherwise.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void put_len(unsigned char *bhs, unsigned int len)
{
	bhs[5] = len >> 16;
	bhs[6] = len >> 8;
	bhs[7] = len;
}

int main(int argc, char **argv)
{
	static const char text[] = "InitiatorName=iqn.2026-12.org.example:raw\0"
				   "SessionType=Normal\0NoEqualsSign\0";
	unsigned char bhs[48] = { 0 }, buf[4096];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct timeval tv = { .tv_sec = 10 };
	size_t text_len = sizeof(text) - 1, pad;
	ssize_t n;
	int fd;

	if (argc != 4 || getaddrinfo(argv[1], argv[2], &hints, &ai)) {
		fprintf(stderr, "usage: iscsi_raw_pdu ADDR PORT badop|badkey|bigdata\n");
		return 2;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("connect");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Login Request: immediate, T=1, CSG 0 -> NSG 1, ISID of type random. */
	bhs[0] = 0x43;
	bhs[1] = 0x81;
	bhs[8] = 0x80;
	if (!strcmp(argv[3], "badop")) {
		bhs[0] = 0x3c;
		bhs[1] = 0x80;
		if (write(fd, bhs, sizeof(bhs)) != sizeof(bhs))
			return 1;
	} else if (!strcmp(argv[3], "badkey")) {
		put_len(bhs, text_len);
		pad = (4 - text_len % 4) % 4;
		memset(buf, 0, sizeof(buf));
		memcpy(buf, bhs, sizeof(bhs));
		memcpy(buf + sizeof(bhs), text, text_len);
		if (write(fd, buf, sizeof(bhs) + text_len + pad) !=
		    (ssize_t)(sizeof(bhs) + text_len + pad))
			return 1;
	} else if (!strcmp(argv[3], "bigdata")) {
		put_len(bhs, 65536);
		if (write(fd, bhs, sizeof(bhs)) != sizeof(bhs))
			return 1;
	} else {
		fprintf(stderr, "iscsi_raw_pdu: unknown case %s\n", argv[3]);
		return 2;
	}
	/* Whatever comes back, the connection must end. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0) {
		perror("iscsi_raw_pdu: the target kept the connection");
		return 1;
	}
	close(fd);
	freeaddrinfo(ai);
	return 0;
}
