// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_raw_pdu - send one malformed PDU to an iSCSI target and check that
 * the target closes that connection (within 10 s), whatever it answers
 * first.  For tests/areas/70-iscsi.sh.
 *
 *   iscsi_raw_pdu ADDR PORT badop|badkey|bigdata
 *   iscsi_raw_pdu ADDR PORT reinstate TARGET_IQN
 *   iscsi_raw_pdu ADDR PORT stall TARGET_IQN
 *   iscsi_raw_pdu ADDR PORT contlogin TARGET_IQN
 *
 * badop:   a header with an opcode no initiator sends (0x3c)
 * badkey:  a Login Request whose text has a pair without '='
 * bigdata: a Login Request announcing 64 KiB of data (over 8 KiB)
 *
 * Exit status: 0 if the target closed the connection, 1 otherwise.
 *
 * reinstate: log in to TARGET_IQN (no CHAP) on one connection, then again
 * with the same initiator name and ISID on a second one: the target must
 * reinstate the session, closing the first connection, and keep the
 * second.  Exit status 0 if it does.
 *
 * stall: log in to TARGET_IQN, send 16 READ(10)s of 1 MiB to LUN 0 and
 * never read the answers: the receive window closes, and the target's
 * TCP keeps the Data-In it could not send.  Waits until the target resets
 * the connection (exit 0), or 120 s (exit 1).
 *
 * contlogin: a login whose text is split over two Login Requests (C bit);
 * exit 0 if the target takes it and the connection reaches full feature
 * phase.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void put_len(unsigned char *bhs, unsigned int len)
{
	bhs[5] = len >> 16;
	bhs[6] = len >> 8;
	bhs[7] = len;
}

static int connect_to(const char *addr, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct timeval tv = { .tv_sec = 10 };
	int fd;

	if (getaddrinfo(addr, port, &hints, &ai))
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("connect");
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, buf, len);
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* One Login Request PDU (flags in byte 1) carrying @len bytes of @text. */
static int send_login_pdu(int fd, unsigned char flags, const char *text,
			  size_t len)
{
	unsigned char buf[8192 + 48] = { 0x43, flags };
	size_t pad = (4 - len % 4) % 4;

	/* ISID: random type, a fixed value, so that both logins share it. */
	memcpy(buf + 8, "\x80\x12\x34\x56\x78\x9a", 6);
	put_len(buf, len);
	memcpy(buf + 48, text, len);
	if (write(fd, buf, 48 + len + pad) != (ssize_t)(48 + len + pad))
		return -1;
	return 0;
}

/*
 * A login straight from operational stage to full feature phase; 0 if the
 * target answers success and moves to full feature phase.  With @split,
 * the text goes in two Login Requests, the first with C=1 and cut in the
 * middle of a key, which must get an empty response that does not
 * transit.
 */
static int log_in_split(int fd, const char *target, size_t split)
{
	unsigned char bhs[48], buf[8192 + 48];
	char text[1024];
	size_t len;
	int n;

	n = snprintf(text, sizeof(text), "%s%c%s%s%c%s%c",
		     "InitiatorName=iqn.2026-12.org.example:raw", 0,
		     "TargetName=", target, 0, "SessionType=Normal", 0);
	if (split) {
		if (send_login_pdu(fd, 0x44, text, split) ||
		    read_full(fd, bhs, 48))
			return -1;
		if (bhs[0] != 0x23 || bhs[36] || bhs[37] || (bhs[1] & 0xc0) ||
		    bhs[5] || bhs[6] || bhs[7]) {
			fprintf(stderr, "continued: opcode 0x%02x flags 0x%02x status %02x%02x\n",
				bhs[0], bhs[1], bhs[36], bhs[37]);
			return -1;
		}
	}
	if (send_login_pdu(fd, 0x87, text + split, n - split) ||
	    read_full(fd, bhs, 48))
		return -1;
	len = (bhs[5] << 16 | bhs[6] << 8 | bhs[7]);
	len += (4 - len % 4) % 4;
	if (len > sizeof(buf) || read_full(fd, buf, len))
		return -1;
	if (bhs[0] != 0x23 || bhs[36] || bhs[37] || (bhs[1] & 0x83) != 0x83) {
		fprintf(stderr, "refused: opcode 0x%02x flags 0x%02x status %02x%02x\n",
			bhs[0], bhs[1], bhs[36], bhs[37]);
		return -1;
	}
	return 0;
}

static int log_in(int fd, const char *target)
{
	return log_in_split(fd, target, 0);
}

static int reinstate(const char *addr, const char *port, const char *target)
{
	unsigned char c;
	ssize_t n;
	int a, b;

	a = connect_to(addr, port);
	if (a < 0 || log_in(a, target))
		return 1;
	b = connect_to(addr, port);
	if (b < 0 || log_in(b, target))
		return 1;
	/* The first connection ends; the second one lives on. */
	n = read(a, &c, 1);
	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
		fprintf(stderr, "the first connection was not closed\n");
		return 1;
	}
	close(a);
	close(b);
	return 0;
}

static int stall(const char *addr, const char *port, const char *target)
{
	unsigned char bhs[48];
	struct pollfd pfd;
	unsigned int i;
	int fd;

	fd = connect_to(addr, port);
	if (fd < 0 || log_in(fd, target))
		return 1;
	for (i = 0; i < 16; i++) {
		memset(bhs, 0, sizeof(bhs));
		bhs[0] = 0x01;			/* SCSI Command */
		bhs[1] = 0xc1;			/* F, R, SIMPLE */
		bhs[16] = i >> 24;		/* ITT */
		bhs[19] = i;
		bhs[21] = 0x10;			/* EDTL: 1 MiB */
		bhs[27] = i;			/* CmdSN, from the login's 0 */
		bhs[32] = 0x28;			/* READ(10) LBA 0 */
		bhs[39] = 0x08;			/* 2048 blocks of 512 */
		if (write(fd, bhs, sizeof(bhs)) != sizeof(bhs))
			return 1;
	}
	/* Nothing is read: only an error or hang-up is waited for. */
	pfd.fd = fd;
	pfd.events = 0;
	if (poll(&pfd, 1, 120000) != 1) {
		fprintf(stderr, "the target kept the connection\n");
		return 1;
	}
	close(fd);
	return 0;
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

	if (argc == 5 && !strcmp(argv[3], "reinstate"))
		return reinstate(argv[1], argv[2], argv[4]);
	if (argc == 5 && !strcmp(argv[3], "stall"))
		return stall(argv[1], argv[2], argv[4]);
	if (argc == 5 && !strcmp(argv[3], "contlogin")) {
		fd = connect_to(argv[1], argv[2]);
		return fd < 0 || log_in_split(fd, argv[4], 20);
	}
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
