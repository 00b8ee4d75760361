// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_portal.c - listening sockets, one accept thread each
 *
 * A portal is "ADDR[:PORT]": an IPv4 address, or an IPv6 address in
 * brackets when a port follows ("[::1]:3260"); the port defaults to 3260.
 * Nothing listens until add_portal: a target is unreachable until then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "iscsi.h"

/* Under iscsi_mutex. */
static LIST_HEAD(iscsi_portals);

/* Parse ADDR[:PORT] into @ss; log one line and return -EINVAL if bad. */
static int iscsi_portal_parse(const char *text, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const char *addr = text, *end, *colon;
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned int port = ISCSI_PORT_DEFAULT;
	size_t len;
	bool v6;

	memset(ss, 0, sizeof(*ss));
	if (*text == '[') {
		addr = text + 1;
		end = strchr(addr, ']');
		if (!end || (end[1] && end[1] != ':'))
			goto bad;
		colon = end[1] ? end + 1 : NULL;
		v6 = true;
	} else {
		colon = strrchr(text, ':');
		/* A bare IPv6 address has several colons and no port. */
		if (colon && strchr(text, ':') != colon) {
			colon = NULL;
			v6 = true;
			end = text + strlen(text);
		} else {
			v6 = false;
			end = colon ? colon : text + strlen(text);
		}
	}
	len = end - addr;
	if (!len || len >= sizeof(buf))
		goto bad;
	memcpy(buf, addr, len);
	buf[len] = 0;
	if (colon && (kstrtouint(colon + 1, 10, &port) || !port || port > 65535))
		goto bad;
	if (v6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (!in6_pton(buf, len, sin6->sin6_addr.s6_addr, -1, NULL))
			goto bad;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (!in4_pton(buf, len, (u8 *)&sin->sin_addr.s_addr, -1, NULL))
			goto bad;
	}
	return 0;
bad:
	pr_warn("portal: '%s' is not ADDR[:PORT] (IPv6 in brackets when a port follows)\n",
		text);
	return -EINVAL;
}

static void iscsi_portal_format(const struct sockaddr_storage *ss, char *buf,
				size_t size)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET6)
		snprintf(buf, size, "[%pI6c]:%u", &sin6->sin6_addr,
			 ntohs(sin6->sin6_port));
	else
		snprintf(buf, size, "%pI4:%u", &sin->sin_addr,
			 ntohs(sin->sin_port));
}

static struct iscsi_portal *iscsi_portal_find(const char *text)
{
	struct iscsi_portal *portal;

	list_for_each_entry(portal, &iscsi_portals, entry)
		if (!strcmp(portal->text, text))
			return portal;
	return NULL;
}

static int iscsi_portal_accept_fn(void *arg)
{
	struct iscsi_portal *portal = arg;
	struct socket *sock;
	int ret;

	while (!kthread_should_stop()) {
		ret = kernel_accept(portal->sock, &sock, 0);
		if (ret) {
			/* Shut down by del_portal, or a transient failure. */
			if (!kthread_should_stop())
				schedule_timeout_interruptible(HZ / 10);
			continue;
		}
		tcp_sock_set_nodelay(sock->sk);
		iscsi_conn_start(sock, portal->text);
	}
	return 0;
}

/**
 * iscsi_portal_add() - start listening on ADDR[:PORT]
 * @text: the portal as written
 *
 * Context: process; iscsi_mutex held.  Logs one line on failure.
 * Return: 0, -EINVAL, -EEXIST, -EADDRINUSE, -EADDRNOTAVAIL, -ENOMEM...
 */
int iscsi_portal_add(const char *text)
{
	struct iscsi_portal *portal;
	struct sockaddr_storage ss;
	int ret;

	ret = iscsi_portal_parse(text, &ss);
	if (ret)
		return ret;
	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return -ENOMEM;
	portal->addr = ss;
	iscsi_portal_format(&ss, portal->text, sizeof(portal->text));
	if (iscsi_portal_find(portal->text)) {
		pr_warn("add_portal: %s exists\n", portal->text);
		ret = -EEXIST;
		goto free;
	}
	ret = sock_create_kern(&init_net, ss.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &portal->sock);
	if (ret) {
		pr_warn("add_portal: %s: cannot create a socket (%d)\n",
			portal->text, ret);
		goto free;
	}
	sock_set_reuseaddr(portal->sock->sk);
	/* "::" and "0.0.0.0" may both be portals. */
	if (ss.ss_family == AF_INET6)
		ip6_sock_set_v6only(portal->sock->sk);
	ret = kernel_bind(portal->sock, (struct sockaddr *)&ss,
			  ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
			  sizeof(struct sockaddr_in));
	if (!ret)
		ret = kernel_listen(portal->sock, 128);
	if (ret) {
		pr_warn("add_portal: %s: cannot listen (%d)\n", portal->text,
			ret);
		goto release;
	}
	portal->thread = kthread_run(iscsi_portal_accept_fn, portal,
				     "iscsi_accept");
	if (IS_ERR(portal->thread)) {
		ret = PTR_ERR(portal->thread);
		pr_warn("add_portal: %s: no accept thread (%d)\n", portal->text,
			ret);
		goto release;
	}
	list_add_tail(&portal->entry, &iscsi_portals);
	pr_info("listening on %s\n", portal->text);
	return 0;
release:
	sock_release(portal->sock);
free:
	kfree(portal);
	return ret;
}

static void iscsi_portal_free(struct iscsi_portal *portal)
{
	list_del(&portal->entry);
	/* Wakes the accept thread; connections it accepted live on. */
	kernel_sock_shutdown(portal->sock, SHUT_RDWR);
	kthread_stop(portal->thread);
	sock_release(portal->sock);
	pr_info("stopped listening on %s\n", portal->text);
	kfree(portal);
}

/**
 * iscsi_portal_del() - stop listening on a portal
 * @text: the portal as given to iscsi_portal_add()
 *
 * Sessions that came in through it go on.
 *
 * Context: process; iscsi_mutex held.  Logs one line on failure.
 * Return: 0, -EINVAL or -ENOENT.
 */
int iscsi_portal_del(const char *text)
{
	struct sockaddr_storage ss;
	char norm[64];
	struct iscsi_portal *portal;
	int ret;

	ret = iscsi_portal_parse(text, &ss);
	if (ret)
		return ret;
	iscsi_portal_format(&ss, norm, sizeof(norm));
	portal = iscsi_portal_find(norm);
	if (!portal) {
		pr_warn("del_portal: no portal %s\n", norm);
		return -ENOENT;
	}
	iscsi_portal_free(portal);
	return 0;
}

/* Context: process; iscsi_mutex held. */
void iscsi_portals_del_all(void)
{
	struct iscsi_portal *portal, *tmp;

	list_for_each_entry_safe(portal, tmp, &iscsi_portals, entry)
		iscsi_portal_free(portal);
}

/* "portal ADDR:PORT" lines.  Context: process; iscsi_mutex held. */
void iscsi_portals_show(struct seq_file *m)
{
	struct iscsi_portal *portal;

	list_for_each_entry(portal, &iscsi_portals, entry)
		seq_printf(m, "portal %s\n", portal->text);
}

/**
 * iscsi_portal_addresses() - TargetAddress values for SendTargets
 * @conn: the asking connection (its local address stands in for a
 *	wildcard portal)
 * @out: where the TargetAddress=...,1 pairs go
 *
 * Context: process; iscsi_mutex held.
 */
void iscsi_portal_addresses(struct iscsi_conn *conn, struct iscsi_text_out *out)
{
	struct sockaddr_storage local;
	struct iscsi_portal *portal;
	char addr[80];

	list_for_each_entry(portal, &iscsi_portals, entry) {
		const struct sockaddr_storage *ss = &portal->addr;
		bool any = ss->ss_family == AF_INET6 ?
			ipv6_addr_any(&((struct sockaddr_in6 *)ss)->sin6_addr) :
			((struct sockaddr_in *)ss)->sin_addr.s_addr == 0;

		if (any) {
			if (kernel_getsockname(conn->sock,
					       (struct sockaddr *)&local) < 0 ||
			    local.ss_family != ss->ss_family)
				continue;
			/* The wildcard's port with the connection's address. */
			if (ss->ss_family == AF_INET6)
				((struct sockaddr_in6 *)&local)->sin6_port =
					((struct sockaddr_in6 *)ss)->sin6_port;
			else
				((struct sockaddr_in *)&local)->sin_port =
					((struct sockaddr_in *)ss)->sin_port;
			ss = &local;
		}
		iscsi_portal_format(ss, addr, sizeof(addr) - 3);
		strlcat(addr, ",1", sizeof(addr));
		iscsi_text_add(out, "TargetAddress", addr);
	}
}
