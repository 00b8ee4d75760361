// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_proc.c - /proc/scsi_tgt/iscsi/iscsi, the driver's command file
 *
 * One command per write(); a failed command logs one line, returns a
 * negative errno and changes nothing.  Reading prints the configuration
 * as the commands that make it (secrets left out), then one comment line
 * per session with what it negotiated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iscsi.h"

#define ISCSI_PROC_CMD_MAX	PAGE_SIZE

static struct proc_dir_entry *iscsi_proc_dir;

static const char iscsi_proc_help[] =
	"Usage: echo \"COMMAND\" >/proc/scsi_tgt/iscsi/iscsi\n"
	"\n"
	"  add_target IQN               create a target node (no LUN until a group\n"
	"                               Default_IQN or a named group gives some)\n"
	"  del_target IQN [force]       delete it; force ends its sessions first\n"
	"  add_portal ADDR[:PORT]       listen on an address (port 3260 by default;\n"
	"                               IPv6 in brackets when a port follows)\n"
	"  del_portal ADDR[:PORT]       stop listening there (sessions go on)\n"
	"  set IQN KEY VALUE            what the target offers for a session key,\n"
	"                               for sessions that log in from now on:\n"
	"                               HeaderDigest, DataDigest (None, CRC32C or\n"
	"                               both, comma-separated), InitialR2T,\n"
	"                               ImmediateData (Yes/No), MaxRecvDataSegmentLength,\n"
	"                               MaxBurstLength, FirstBurstLength,\n"
	"                               MaxOutstandingR2T, DefaultTime2Wait,\n"
	"                               DefaultTime2Retain (numbers), MaxConnections (1),\n"
	"                               ErrorRecoveryLevel (0), DataPDUInOrder,\n"
	"                               DataSequenceInOrder (Yes)\n"
	"  chap IQN incoming USER SECRET  initiators must prove USER/SECRET (CHAP)\n"
	"  chap IQN outgoing USER SECRET  the target proves USER/SECRET (mutual CHAP)\n"
	"  chap IQN clear               no CHAP for the target\n"
	"  discovery_chap incoming USER SECRET  CHAP for discovery sessions\n"
	"  discovery_chap clear         discovery without CHAP\n"
	"\n"
	"IQN, USER: 1..223 (USER: 255) printable characters without blanks;\n"
	"SECRET: 1..255 of them.  Secrets are never shown.\n";

static int iscsi_help_show(struct seq_file *m, void *v)
{
	seq_puts(m, iscsi_proc_help);
	return 0;
}

static void iscsi_show_value(struct seq_file *m, unsigned int id, u32 v)
{
	const struct iscsi_key *key = iscsi_key_get(id);

	switch (key->kind) {
	case ISCSI_KEY_DIGEST:
		seq_printf(m, "%s%s%s", v & ISCSI_DIGEST_CRC32C ? "CRC32C" : "",
			   v == (ISCSI_DIGEST_CRC32C | ISCSI_DIGEST_NONE) ? "," : "",
			   v & ISCSI_DIGEST_NONE ? "None" : "");
		break;
	case ISCSI_KEY_BOOL_AND:
	case ISCSI_KEY_BOOL_OR:
		seq_puts(m, v ? "Yes" : "No");
		break;
	default:
		seq_printf(m, "%u", v);
		break;
	}
}

/*
 * Where a session's connection runs and how its read data went out: for
 * administrators who tune CPU placement, and for the tests.
 */
static void iscsi_conn_show(struct seq_file *m, struct iscsi_conn *conn)
{
	seq_printf(m, "# connection %s %s cid=%u cpu=%d rx_off_cpu=%u data_in_lent=%llu lent_cmds=%d\n",
		   conn->target->name, conn->sess->initiator, conn->cid,
		   conn->cpu, READ_ONCE(conn->rx_off_cpu),
		   READ_ONCE(conn->data_in_lent),
		   atomic_read(&conn->lent_cmds));
}

static int iscsi_proc_show(struct seq_file *m, void *v)
{
	struct iscsi_session *sess;
	struct iscsi_target *target;
	unsigned int i;

	mutex_lock(&iscsi_mutex);
	iscsi_portals_show(m);
	if (iscsi_discovery_chap.user[0])
		seq_printf(m, "# discovery_chap incoming %s (secret not shown)\n",
			   iscsi_discovery_chap.user);
	list_for_each_entry(target, &iscsi_targets, entry) {
		seq_printf(m, "add_target %s\n", target->name);
		for (i = 0; i < ISCSI_KEY_TPGT; i++) {
			seq_printf(m, "set %s %s ", target->name,
				   iscsi_key_get(i)->name);
			iscsi_show_value(m, i, target->params[i]);
			seq_putc(m, '\n');
		}
		if (target->chap_in.user[0])
			seq_printf(m, "# chap %s incoming %s (secret not shown)\n",
				   target->name, target->chap_in.user);
		if (target->chap_out.user[0])
			seq_printf(m, "# chap %s outgoing %s (secret not shown)\n",
				   target->name, target->chap_out.user);
		list_for_each_entry(sess, &target->sessions, entry) {
			seq_printf(m, "# session %s %s isid=%6phN tsih=%u",
				   target->name, sess->initiator, sess->isid,
				   sess->tsih);
			for (i = 0; i < ISCSI_KEY_TPGT; i++) {
				seq_printf(m, " %s=", iscsi_key_get(i)->name);
				iscsi_show_value(m, i, sess->params[i]);
			}
			seq_putc(m, '\n');
			iscsi_conn_show(m, sess->conn);
		}
	}
	mutex_unlock(&iscsi_mutex);
	return 0;
}

static int iscsi_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, iscsi_proc_show, NULL);
}

/* 1..@max printable ASCII characters, no blanks. */
static bool iscsi_word_valid(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (!len || len > max)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return false;
	return true;
}

static int iscsi_parse_digests(const char *s, u32 *set)
{
	char buf[32], *p = buf, *item;

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -EINVAL;
	*set = 0;
	while ((item = strsep(&p, ","))) {
		if (!strcmp(item, "None"))
			*set |= ISCSI_DIGEST_NONE;
		else if (!strcmp(item, "CRC32C"))
			*set |= ISCSI_DIGEST_CRC32C;
		else
			return -EINVAL;
	}
	return 0;
}

/* set IQN KEY VALUE.  Context: iscsi_mutex held. */
static int iscsi_proc_set(struct iscsi_target *target, const char *name,
			  const char *value)
{
	const struct iscsi_key *key = iscsi_key_find(name, strlen(name));
	unsigned int id;
	u32 v;

	id = key ? key - iscsi_key_get(0) : ISCSI_KEY_TPGT;
	if (id >= ISCSI_KEY_TPGT) {
		pr_warn("set: '%s' is not a session key the target offers\n", name);
		return -EINVAL;
	}
	switch (key->kind) {
	case ISCSI_KEY_DIGEST:
		if (iscsi_parse_digests(value, &v)) {
			pr_warn("set: %s takes None, CRC32C or both, comma-separated\n",
				name);
			return -EINVAL;
		}
		break;
	case ISCSI_KEY_BOOL_AND:
	case ISCSI_KEY_BOOL_OR:
		if (strcmp(value, "Yes") && strcmp(value, "No")) {
			pr_warn("set: %s takes Yes or No\n", name);
			return -EINVAL;
		}
		v = !strcmp(value, "Yes");
		break;
	default:
		if (iscsi_text_number(value, strlen(value), &v) ||
		    v < key->min || v > key->max) {
			pr_warn("set: %s takes a number from %u to %u\n", name,
				key->min, key->max);
			return -EINVAL;
		}
		break;
	}
	/* What this target implements: one connection, ERL 0, in order. */
	if ((id == ISCSI_KEY_MAX_CONNECTIONS && v != 1) ||
	    (id == ISCSI_KEY_ERL && v) ||
	    ((id == ISCSI_KEY_DATA_PDU_IN_ORDER ||
	      id == ISCSI_KEY_DATA_SEQ_IN_ORDER) && !v)) {
		pr_warn("set: %s %s is not supported\n", name, value);
		return -EINVAL;
	}
	target->params[id] = v;
	return 0;
}

/* chap ... USER SECRET into @secret.  Logs one line if invalid. */
static int iscsi_proc_chap_secret(struct iscsi_chap_secret *secret,
				  char **words, int n, const char *cmd)
{
	if (n != 2 || !iscsi_word_valid(words[0], ISCSI_CHAP_NAME_MAX) ||
	    !iscsi_word_valid(words[1], ISCSI_CHAP_SECRET_MAX)) {
		pr_warn("%s: expected USER SECRET (1..%d and 1..%d printable characters)\n",
			cmd, ISCSI_CHAP_NAME_MAX, ISCSI_CHAP_SECRET_MAX);
		return -EINVAL;
	}
	memset(secret, 0, sizeof(*secret));
	strscpy(secret->user, words[0], sizeof(secret->user));
	secret->secret_len = strlen(words[1]);
	memcpy(secret->secret, words[1], secret->secret_len);
	return 0;
}

static int iscsi_proc_chap(char **words, int n)
{
	struct iscsi_target *target = iscsi_target_find(words[1]);

	if (!target) {
		pr_warn("chap: no target %s\n", words[1]);
		return -ENOENT;
	}
	if (n == 3 && !strcmp(words[2], "clear")) {
		memzero_explicit(&target->chap_in, sizeof(target->chap_in));
		memzero_explicit(&target->chap_out, sizeof(target->chap_out));
		return 0;
	}
	if (n >= 3 && !strcmp(words[2], "incoming"))
		return iscsi_proc_chap_secret(&target->chap_in, words + 3,
					      n - 3, "chap incoming");
	if (n >= 3 && !strcmp(words[2], "outgoing"))
		return iscsi_proc_chap_secret(&target->chap_out, words + 3,
					      n - 3, "chap outgoing");
	pr_warn("chap: expected IQN incoming|outgoing USER SECRET, or IQN clear\n");
	return -EINVAL;
}

static int iscsi_proc_discovery_chap(char **words, int n)
{
	if (n == 2 && !strcmp(words[1], "clear")) {
		memzero_explicit(&iscsi_discovery_chap,
				 sizeof(iscsi_discovery_chap));
		return 0;
	}
	if (n >= 2 && !strcmp(words[1], "incoming"))
		return iscsi_proc_chap_secret(&iscsi_discovery_chap, words + 2,
					      n - 2, "discovery_chap incoming");
	pr_warn("discovery_chap: expected incoming USER SECRET, or clear\n");
	return -EINVAL;
}

/* Parse and run one command.  Context: iscsi_mutex held. */
static int iscsi_proc_run(char **words, int n)
{
	const char *cmd = words[0];
	struct iscsi_target *target;

	if (!strcmp(cmd, "add_target") || !strcmp(cmd, "del_target")) {
		bool add = cmd[0] == 'a';

		if (n < 2 || n > (add ? 2 : 3) ||
		    (n == 3 && strcmp(words[2], "force"))) {
			pr_warn("%s: expected IQN%s\n", cmd, add ? "" : " [force]");
			return -EINVAL;
		}
		if (!iscsi_word_valid(words[1], ISCSI_NAME_MAX)) {
			pr_warn("%s: invalid name (1..%d printable characters)\n",
				cmd, ISCSI_NAME_MAX);
			return -EINVAL;
		}
		return add ? iscsi_target_add(words[1]) :
		       iscsi_target_del(words[1], n == 3);
	}
	if (!strcmp(cmd, "add_portal") || !strcmp(cmd, "del_portal")) {
		if (n != 2) {
			pr_warn("%s: expected ADDR[:PORT]\n", cmd);
			return -EINVAL;
		}
		return cmd[0] == 'a' ? iscsi_portal_add(words[1]) :
		       iscsi_portal_del(words[1]);
	}
	if (!strcmp(cmd, "set")) {
		if (n != 4) {
			pr_warn("set: expected IQN KEY VALUE\n");
			return -EINVAL;
		}
		target = iscsi_target_find(words[1]);
		if (!target) {
			pr_warn("set: no target %s\n", words[1]);
			return -ENOENT;
		}
		return iscsi_proc_set(target, words[2], words[3]);
	}
	if (!strcmp(cmd, "chap")) {
		if (n < 3) {
			pr_warn("chap: expected IQN incoming|outgoing USER SECRET, or IQN clear\n");
			return -EINVAL;
		}
		return iscsi_proc_chap(words, n);
	}
	if (!strcmp(cmd, "discovery_chap"))
		return iscsi_proc_discovery_chap(words, n);
	pr_warn("unknown command '%s'\n", cmd);
	return -EINVAL;
}

static ssize_t iscsi_proc_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char *line, *words[6];
	int n, ret;

	if (len > ISCSI_PROC_CMD_MAX) {
		pr_warn("a command is at most %lu bytes, not %zu\n",
			ISCSI_PROC_CMD_MAX, len);
		return -EINVAL;
	}
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line)) {
		pr_warn("cannot read the command (%ld)\n", PTR_ERR(line));
		return PTR_ERR(line);
	}
	n = strlen(line) == len ?
	    scst_proc_split_words(line, words, ARRAY_SIZE(words)) : -EINVAL;
	if (n < 0) {
		pr_warn("the command has a NUL or control character, or too many words\n");
		ret = -EINVAL;
	} else if (!n) {
		pr_warn("empty command\n");
		ret = -EINVAL;
	} else {
		mutex_lock(&iscsi_mutex);
		ret = iscsi_proc_run(words, n);
		mutex_unlock(&iscsi_mutex);
	}
	/* The line may hold a CHAP secret. */
	kfree_sensitive(line);
	return ret ? ret : len;
}

static const struct proc_ops iscsi_proc_ops = {
	.proc_open	= iscsi_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= iscsi_proc_write,
};

/**
 * iscsi_proc_init() - create /proc/scsi_tgt/iscsi
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int iscsi_proc_init(void)
{
	iscsi_proc_dir = proc_mkdir(iscsi_template.name, scst_proc_get_root());
	if (!iscsi_proc_dir)
		return -ENOMEM;
	if (!proc_create(iscsi_template.name, 0600, iscsi_proc_dir,
			 &iscsi_proc_ops) ||
	    !proc_create_single("help", 0444, iscsi_proc_dir,
				iscsi_help_show)) {
		proc_remove(iscsi_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

/**
 * iscsi_proc_exit() - remove /proc/scsi_tgt/iscsi
 *
 * Context: process, at module unload.
 */
void iscsi_proc_exit(void)
{
	proc_remove(iscsi_proc_dir);
}
