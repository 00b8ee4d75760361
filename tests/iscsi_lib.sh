# tests/iscsi_lib.sh - the open-iscsi initiator side of iSCSI tests (guest
# side; sourced after tests/lib.sh, whose fail and skip it uses).
#
# The guest has no systemd and no udev: these helpers start iscsid
# themselves, keep its node database on the writable overlay (/etc/iscsi),
# and find the disks of a session through sysfs.  Portals are ADDR:PORT,
# IPv6 in brackets ("127.0.0.1:3260", "[::1]:3260"); a portal without a
# port means port 3260.  The usual sequence:
#
#	iscsi_net_up
#	iscsid_start
#	iscsi_discover 127.0.0.1:3260            # prints the IQNs
#	iscsi_login "$iqn" 127.0.0.1:3260 --chap user secret12345
#	disk=$(iscsi_disk "$iqn" 0)
#	...
#	iscsi_cleanup                           # logout, stop iscsid, forget all
#
# The node settings here are made for tests (ISCSI_NODE_SETTINGS below): a
# login to a portal that refuses or does not answer gives up after a few
# seconds (about 7 s to a closed port), and I/O waits at most
# ISCSI_REPLACEMENT_TIMEOUT seconds (set it before sourcing this file, or
# pass --param node.session.timeo.replacement_timeout=N to iscsi_login) for
# a lost connection to come back before it fails.
#
# iscsiadm's exit codes (iscsiadm(8)) that tests meet: 4 cannot connect,
# 5 login failed, 8 connect timed out, 15 session exists, 19 fatal login
# error (e.g. the target does not exist or refuses the initiator), 21 no
# records or sessions, 24 authentication failed.

ISCSI_INITIATOR=${ISCSI_INITIATOR:-iqn.2026-12.org.example:initiator}
ISCSI_ETC=/etc/iscsi
# Backups of the files iscsid_start replaces, and the library's own state.
ISCSI_STATE=/tmp/iscsi-lib
ISCSI_PIDFILE=/run/iscsid.pid
# Seconds to wait for a session's disks to appear (iscsid scans after login).
ISCSI_DEV_TIMEOUT=${ISCSI_DEV_TIMEOUT:-60}
ISCSI_REPLACEMENT_TIMEOUT=${ISCSI_REPLACEMENT_TIMEOUT:-20}
# Exit code and message of the last iscsiadm run by _iscsi_adm.
ISCSI_RC=0
ISCSI_OUT=

# ---------------------------------------------------------------- network

# iscsi_net_up: loopback up with 127.0.0.1 and ::1 usable (IPv6 enabled on lo).
iscsi_net_up() {
	local tries=100
	ip link set lo up || fail "iscsi_net_up: cannot set lo up"
	# (grep reads a variable: with pipefail, "ip | grep -q" may fail when
	# grep is gone before ip has written all.)
	grep -q 'inet 127\.0\.0\.1/' <<<"$(ip -4 addr show dev lo)" ||
		ip -4 addr add 127.0.0.1/8 dev lo || fail "iscsi_net_up: cannot add 127.0.0.1"
	[ -d /proc/sys/net/ipv6 ] || fail "iscsi_net_up: this kernel has no IPv6"
	if [ "$(cat /proc/sys/net/ipv6/conf/lo/disable_ipv6)" != 0 ]; then
		sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0 ||
			fail "iscsi_net_up: cannot enable IPv6 on lo"
	fi
	grep -q 'inet6 ::1/' <<<"$(ip -6 addr show dev lo)" ||
		ip -6 addr add ::1/128 dev lo || fail "iscsi_net_up: cannot add ::1"
	# A new address is "tentative" (not usable) until duplicate address
	# detection is over; lo does none, but wait rather than assume.
	while grep -q 'inet6 ::1/' <<<"$(ip -6 addr show dev lo tentative)"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "iscsi_net_up: ::1 stays tentative"
		sleep 0.1
	done
}

# ---------------------------------------------------------------- portals

# iscsi_portal PORTAL: prints "ADDR PORT" (brackets removed, port 3260 added).
iscsi_portal() {
	local p=$1
	case $p in
	\[*\]:*) p=${p#[}; echo "${p%%]:*} ${p##*]:}" ;;
	\[*\]) p=${p#[}; echo "${p%]} 3260" ;;
	*:*:*) echo "$p 3260" ;;	# bare IPv6 address
	*:*) echo "${p%:*} ${p##*:}" ;;
	*) echo "$p 3260" ;;
	esac
}

# iscsi_portal_arg PORTAL: the portal as iscsiadm's -p wants it.
iscsi_portal_arg() {
	local addr port
	read -r addr port <<<"$(iscsi_portal "$1")"
	case $addr in
	*:*) echo "[$addr]:$port" ;;
	*) echo "$addr:$port" ;;
	esac
}

# ---------------------------------------------------------------- iscsid

# Settings of every node record iscsi_login makes (iscsiadm -o new takes
# its built-in defaults, not iscsid.conf's): short timeouts so that a login
# that cannot succeed fails within seconds.
ISCSI_NODE_SETTINGS=(
	node.startup=manual
	node.session.timeo.replacement_timeout="$ISCSI_REPLACEMENT_TIMEOUT"
	"node.conn[0].timeo.login_timeout=5"
	"node.conn[0].timeo.logout_timeout=5"
	"node.conn[0].timeo.auth_timeout=5"
	"node.conn[0].timeo.noop_out_interval=5"
	"node.conn[0].timeo.noop_out_timeout=10"
	node.session.err_timeo.abort_timeout=10
	node.session.err_timeo.lu_reset_timeout=15
	node.session.err_timeo.tgt_reset_timeout=15
	node.session.err_timeo.host_reset_timeout=30
	node.session.initial_login_retry_max=1
	node.session.reopen_max=0
	node.session.iscsi.InitialR2T=No
	node.session.iscsi.ImmediateData=Yes
	node.session.iscsi.FirstBurstLength=262144
	node.session.iscsi.MaxBurstLength=16776192
	"node.conn[0].iscsi.MaxRecvDataSegmentLength=262144"
	"node.conn[0].iscsi.HeaderDigest=None"
	"node.conn[0].iscsi.DataDigest=None"
)
# Settings of every discovery record.
ISCSI_DISCOVERY_SETTINGS=(
	discovery.sendtargets.timeo.login_timeout=5
	discovery.sendtargets.timeo.auth_timeout=5
	discovery.sendtargets.timeo.active_timeout=10
	discovery.sendtargets.reopen_max=1
	discovery.sendtargets.iscsi.MaxRecvDataSegmentLength=32768
)

# The iscsid.conf that iscsid_start installs: the settings above, the rest
# of Debian's defaults, and no iscsid.startup (iscsiadm must not try to
# start iscsid through systemd).
iscsi_conf() {
	local kv
	echo "# Written by tests/iscsi_lib.sh (iscsid_start); iscsi_cleanup restores the original."
	for kv in "${ISCSI_NODE_SETTINGS[@]}" "${ISCSI_DISCOVERY_SETTINGS[@]}" \
		node.leading_login=No node.session.cmds_max=128 node.session.queue_depth=32 \
		node.session.xmit_thread_priority=-20 node.session.nr_sessions=1 \
		node.session.iscsi.FastAbort=Yes node.session.scan=auto; do
		echo "${kv%%=*} = ${kv#*=}"
	done
}

# _iscsi_update_args KEY=VALUE...: the arguments "-n KEY -v VALUE..." of
# one iscsiadm update (the last of a repeated KEY wins) in _ISCSI_ARGS.
_iscsi_update_args() {
	local kv
	_ISCSI_ARGS=()
	for kv in "$@"; do
		_ISCSI_ARGS+=(-n "${kv%%=*}" -v "${kv#*=}")
	done
}

# iscsid_pid: the pid of the iscsid that iscsid_start started, if it runs.
iscsid_pid() {
	local pid
	pid=$(cat "$ISCSI_PIDFILE" 2>/dev/null) || return 0
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
	return 0
}

# iscsid_listening: iscsid's management socket (abstract) is there.
iscsid_listening() {
	grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix
}

# iscsid_start [INITIATOR_NAME]: load iscsi_tcp, sd, sg, install the test
# iscsid.conf and the initiator name (default $ISCSI_INITIATOR) and start
# iscsid; restarts it if it runs.
iscsid_start() {
	local name=${1:-$ISCSI_INITIATOR} tries=100 f
	[ -z "$(iscsid_pid)" ] || iscsid_stop
	modprobe -a iscsi_tcp sd_mod sg || fail "iscsid_start: cannot load iscsi_tcp, sd_mod, sg"
	# Digests need the crc32c crypto driver; iscsi_tcp asks for it only then.
	modprobe -q crc32c 2>/dev/null || true
	mkdir -p /run/lock/iscsi "$ISCSI_STATE" "$ISCSI_ETC" ||
		fail "iscsid_start: cannot create /run/lock/iscsi, $ISCSI_STATE"
	for f in iscsid.conf initiatorname.iscsi; do
		[ -e "$ISCSI_STATE/$f.orig" ] || [ -e "$ISCSI_STATE/$f.none" ] && continue
		if [ -e "$ISCSI_ETC/$f" ]; then
			cp -p "$ISCSI_ETC/$f" "$ISCSI_STATE/$f.orig"
		else
			: >"$ISCSI_STATE/$f.none"
		fi || fail "iscsid_start: cannot back up $ISCSI_ETC/$f"
	done
	iscsi_conf >"$ISCSI_ETC/iscsid.conf" || fail "iscsid_start: cannot write iscsid.conf"
	echo "InitiatorName=$name" >"$ISCSI_ETC/initiatorname.iscsi" ||
		fail "iscsid_start: cannot write initiatorname.iscsi"
	echo "$name" >"$ISCSI_STATE/initiator"
	rm -f "$ISCSI_PIDFILE"
	iscsid -c "$ISCSI_ETC/iscsid.conf" -i "$ISCSI_ETC/initiatorname.iscsi" \
		-p "$ISCSI_PIDFILE" >"$ISCSI_STATE/iscsid.log" 2>&1 ||
		fail "iscsid_start: iscsid failed: $(cat "$ISCSI_STATE/iscsid.log")"
	until [ -n "$(iscsid_pid)" ] && iscsid_listening; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "iscsid_start: iscsid is not up after 10 s: $(cat "$ISCSI_STATE/iscsid.log")"
		sleep 0.1
	done
}

# iscsid_stop: log out every session and stop iscsid (iscsiadm -k 0), killing
# it if it does not go; no iscsid process is left.
iscsid_stop() {
	local pid tries=100
	pid=$(iscsid_pid)
	[ -n "$pid" ] || { rm -f "$ISCSI_PIDFILE"; return 0; }
	iscsi_logout_all
	iscsiadm -k 0 >/dev/null 2>&1 || true
	while kill -0 "$pid" 2>/dev/null; do
		tries=$((tries - 1))
		case $tries in
		20) kill -TERM "$pid" 2>/dev/null ;;
		0) kill -KILL "$pid" 2>/dev/null ;;
		-20) fail "iscsid_stop: iscsid (pid $pid) does not stop" ;;
		esac
		sleep 0.1
	done
	rm -f "$ISCSI_PIDFILE"
}

# ---------------------------------------------------------------- iscsiadm

# _iscsi_adm ARGS...: run iscsiadm; its exit code in ISCSI_RC, its output
# (stdout and stderr) in ISCSI_OUT; returns the exit code.
_iscsi_adm() {
	ISCSI_RC=0
	ISCSI_OUT=$(iscsiadm "$@" 2>&1) || ISCSI_RC=$?
	return "$ISCSI_RC"
}

# _iscsi_adm_ok WHAT ARGS...: iscsiadm must succeed.
_iscsi_adm_ok() {
	local what=$1
	shift
	_iscsi_adm "$@" || fail "$what: iscsiadm $* exited $ISCSI_RC: $ISCSI_OUT"
}

# _iscsi_reason: iscsiadm's last complaint, on one line.
_iscsi_reason() {
	local r
	r=$(printf '%s\n' "$ISCSI_OUT" | grep 'iscsiadm:' | tail -n 1)
	echo "${r:-$(printf '%s\n' "$ISCSI_OUT" | tail -n 1)}"
}

# _iscsi_auth_opts PREFIX ARGS...: parse --chap/--mutual/--param from ARGS
# into _ISCSI_SET (KEY=VALUE settings; PREFIX is node.session.auth or
# discovery.sendtargets.auth) and the other arguments into _ISCSI_REST.
_iscsi_auth_opts() {
	local prefix=$1 method=None user="" pass="" user_in="" pass_in=""
	shift
	_ISCSI_SET=()
	_ISCSI_REST=()
	while [ $# -gt 0 ]; do
		case $1 in
		--chap)
			[ $# -ge 3 ] || fail "--chap needs USER SECRET"
			method=CHAP user=$2 pass=$3
			shift 3
			;;
		--mutual)
			[ $# -ge 3 ] || fail "--mutual needs USER SECRET"
			user_in=$2 pass_in=$3
			shift 3
			;;
		--param)
			[[ $# -ge 2 && $2 == *=* ]] || fail "--param needs KEY=VALUE"
			_ISCSI_SET+=("$2")
			shift 2
			;;
		*)
			_ISCSI_REST+=("$1")
			shift
			;;
		esac
	done
	[ -z "$user_in" ] || [ "$method" = CHAP ] ||
		fail "--mutual needs --chap too (the target is checked after the initiator)"
	_ISCSI_SET=("$prefix.authmethod=$method" "$prefix.username=$user"
		"$prefix.password=$pass" "$prefix.username_in=$user_in"
		"$prefix.password_in=$pass_in" "${_ISCSI_SET[@]}")
}

# ---------------------------------------------------------------- discovery

# _iscsi_discover_run PORTAL [--chap USER SECRET] [--mutual USER SECRET]
# [--param KEY=VALUE]...: one SendTargets discovery; returns iscsiadm's code.
_iscsi_discover_run() {
	local p
	p=$(iscsi_portal_arg "$1")
	shift
	_iscsi_auth_opts discovery.sendtargets.auth "$@"
	[ ${#_ISCSI_REST[@]} -eq 0 ] || fail "iscsi_discover: unknown option ${_ISCSI_REST[0]}"
	[ -n "$(iscsid_pid)" ] || fail "iscsi_discover: iscsid is not running (iscsid_start)"
	_iscsi_adm_ok "iscsi_discover $p" -m discoverydb -t st -p "$p" -o new
	_iscsi_update_args "${ISCSI_DISCOVERY_SETTINGS[@]}" "${_ISCSI_SET[@]}"
	_iscsi_adm_ok "iscsi_discover $p" -m discoverydb -t st -p "$p" -o update "${_ISCSI_ARGS[@]}"
	_iscsi_adm -m discoverydb -t st -p "$p" --discover
}

# iscsi_discover PORTAL [--chap USER SECRET] [--mutual USER SECRET]: SendTargets
# discovery (with discovery CHAP if asked); prints each target IQN found once.
iscsi_discover() {
	_iscsi_discover_run "$@" ||
		fail "iscsi_discover $1: iscsiadm exited $ISCSI_RC: $(_iscsi_reason)"
	printf '%s\n' "$ISCSI_OUT" | awk '$1 ~ /,[0-9]+$/ && NF == 2 && !seen[$2]++ { print $2 }'
}

# iscsi_discover_fails PORTAL [OPTIONS]: discovery must fail; prints
# "EXIT_CODE REASON" (iscsiadm's exit code and last message).
iscsi_discover_fails() {
	if _iscsi_discover_run "$@"; then
		fail "iscsi_discover_fails $1: discovery succeeded: $ISCSI_OUT"
	fi
	echo "$ISCSI_RC $(_iscsi_reason)"
}

# ---------------------------------------------------------------- login

# _iscsi_login_run IQN PORTAL [OPTIONS]: a fresh node record with the
# options (see iscsi_login), then the login; returns iscsiadm's code.
_iscsi_login_run() {
	local iqn=$1 p dargs=() discover=0 found
	p=$(iscsi_portal_arg "$2")
	shift 2
	_iscsi_auth_opts node.session.auth "$@"
	set -- ${_ISCSI_REST[@]+"${_ISCSI_REST[@]}"}
	while [ $# -gt 0 ]; do
		case $1 in
		--digest)
			_ISCSI_SET+=("node.conn[0].iscsi.HeaderDigest=CRC32C"
				"node.conn[0].iscsi.DataDigest=CRC32C")
			shift
			;;
		--header-digest|--data-digest)
			[ $# -ge 2 ] || fail "$1 needs a value (CRC32C, None, CRC32C,None)"
			if [ "$1" = --header-digest ]; then
				_ISCSI_SET+=("node.conn[0].iscsi.HeaderDigest=$2")
			else
				_ISCSI_SET+=("node.conn[0].iscsi.DataDigest=$2")
			fi
			shift 2
			;;
		--discover)
			discover=1
			shift
			;;
		--discovery-chap|--discovery-mutual)
			[ $# -ge 3 ] || fail "$1 needs USER SECRET"
			discover=1
			dargs+=("--${1#--discovery-}" "$2" "$3")
			shift 3
			;;
		*) fail "iscsi_login: unknown option $1" ;;
		esac
	done
	[ -n "$(iscsid_pid)" ] || fail "iscsi_login: iscsid is not running (iscsid_start)"
	[ -z "$(iscsi_session "$iqn" "$p")" ] || fail "iscsi_login: already logged in to $iqn at $p"
	if [ "$discover" = 1 ]; then
		found=$(iscsi_discover "$p" ${dargs[@]+"${dargs[@]}"}) || exit 1
		grep -qxF -- "$iqn" <<<"$found" ||
			fail "iscsi_login: discovery at $p does not list $iqn (it lists: $found)"
	fi
	# A new record every time: no setting of an earlier login carries over.
	_iscsi_adm -m node -T "$iqn" -p "$p" -o delete ||
		[ "$ISCSI_RC" -eq 21 ] || fail "iscsi_login: cannot delete the old record: $ISCSI_OUT"
	_iscsi_adm_ok "iscsi_login $iqn $p" -m node -T "$iqn" -p "$p" -o new
	_iscsi_update_args "${ISCSI_NODE_SETTINGS[@]}" "${_ISCSI_SET[@]}"
	_iscsi_adm_ok "iscsi_login $iqn $p" -m node -T "$iqn" -p "$p" -o update "${_ISCSI_ARGS[@]}"
	_iscsi_adm -m node -T "$iqn" -p "$p" -l
}

# iscsi_login IQN PORTAL [--chap USER SECRET] [--mutual USER SECRET]
#   [--digest] [--header-digest V] [--data-digest V] [--param KEY=VALUE]...
#   [--discover] [--discovery-chap USER SECRET] [--discovery-mutual USER SECRET]:
# log in.  --chap: one-way CHAP (the target checks USER/SECRET); --mutual:
# the target must answer with USER/SECRET too; --digest: HeaderDigest and
# DataDigest CRC32C only; --param: any node.* setting of iscsiadm (e.g.
# node.session.iscsi.FirstBurstLength=65536); --discover*: SendTargets
# discovery first (with discovery CHAP), which must list IQN.
iscsi_login() {
	_iscsi_login_run "$@" || fail "iscsi_login $1 $2: iscsiadm exited $ISCSI_RC: $(_iscsi_reason)"
}

# iscsi_login_fails IQN PORTAL [OPTIONS]: the login must fail; prints
# "EXIT_CODE REASON" (e.g. "24 ... authorization failure").
iscsi_login_fails() {
	if _iscsi_login_run "$@"; then
		iscsi_logout "$1" "$2"
		fail "iscsi_login_fails $1 $2: the login succeeded"
	fi
	[ -z "$(iscsi_session "$1" "$2")" ] || fail "iscsi_login_fails $1 $2: a session exists"
	echo "$ISCSI_RC $(_iscsi_reason)"
}

# iscsi_logout IQN PORTAL: log out of that session (it must exist).
iscsi_logout() {
	local p
	p=$(iscsi_portal_arg "$2")
	[ -n "$(iscsi_session "$1" "$p")" ] || fail "iscsi_logout: no session to $1 at $p"
	_iscsi_adm_ok "iscsi_logout $1 $p" -m node -T "$1" -p "$p" -u
	[ -z "$(iscsi_session "$1" "$p")" ] || fail "iscsi_logout: the session to $1 at $p is still there"
}

# iscsi_logout_all: log out of every iSCSI session.
iscsi_logout_all() {
	local s
	[ -n "$(ls /sys/class/iscsi_session 2>/dev/null)" ] || return 0
	[ -n "$(iscsid_pid)" ] || fail "iscsi_logout_all: sessions but no iscsid"
	_iscsi_adm -m node --logoutall=all || [ "$ISCSI_RC" -eq 21 ] ||
		echo "iscsi_logout_all: iscsiadm exited $ISCSI_RC: $ISCSI_OUT" >&2
	# Sessions without a node record (deleted meanwhile), one by one.
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		_iscsi_adm -m session -r "${s##*/session}" -u || true
	done
	s=$(ls /sys/class/iscsi_session 2>/dev/null)
	[ -z "$s" ] || fail "iscsi_logout_all: sessions left: $s ($ISCSI_OUT)"
}

# ---------------------------------------------------------------- sessions

# iscsi_session IQN [PORTAL]: the sysfs name (sessionN) of the session to IQN
# (through PORTAL); empty if none.
iscsi_session() {
	local s n addr port c
	[ $# -lt 2 ] || read -r addr port <<<"$(iscsi_portal "$2")"
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s/targetname" ] || continue
		[ "$(cat "$s/targetname" 2>/dev/null)" = "$1" ] || continue
		n=${s##*/session}
		if [ $# -ge 2 ]; then
			c=/sys/class/iscsi_connection/connection$n:0
			[[ $(cat "$c/persistent_address" 2>/dev/null) == "$addr" &&
				$(cat "$c/persistent_port" 2>/dev/null) == "$port" ]] || continue
		fi
		echo "session$n"
		return 0
	done
}

# _iscsi_session_of IQN [PORTAL]: like iscsi_session but fails if none.
_iscsi_session_of() {
	local s
	s=$(iscsi_session "$@")
	[ -n "$s" ] || fail "no iSCSI session to $1${2:+ at $2}"
	echo "$s"
}

# iscsi_session_state IQN [PORTAL]: LOGGED_IN, FAILED (recovering) or FREE.
iscsi_session_state() {
	local s
	s=$(_iscsi_session_of "$@") || exit 1
	cat "/sys/class/iscsi_session/$s/state"
}

# iscsi_wait_logged_in IQN [PORTAL [SECONDS]]: wait (default 30 s) until the
# session is LOGGED_IN again (after a connection loss).
iscsi_wait_logged_in() {
	local tries=$((${3:-30} * 10)) st
	while :; do
		st=$(iscsi_session_state "$1" ${2:+"$2"}) || exit 1
		[ "$st" = LOGGED_IN ] && return 0
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "session to $1 is $st, not LOGGED_IN, after ${3:-30} s"
		sleep 0.1
	done
}

# _iscsi_lun_dir IQN LUN [PORTAL]: the sysfs directory of the session's
# SCSI device with that LUN, once it is there with a CLASS (block or
# scsi_generic) subdirectory.
_iscsi_lun_dir() {
	local iqn=$1 lun=$2 class=$4 tries=$((ISCSI_DEV_TIMEOUT * 10)) s dir="" d
	while :; do
		s=$(iscsi_session "$iqn" ${3:+"$3"})
		if [ -n "$s" ]; then
			dir=$(readlink -f "/sys/class/iscsi_session/$s/device")
			for d in "$dir"/target*/*:*:*:"$lun"; do
				[ -n "$(ls "$d/$class" 2>/dev/null)" ] && { echo "$d"; return 0; }
			done
		fi
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || break
		sleep 0.1
	done
	[ -n "$s" ] || fail "no iSCSI session to $iqn${3:+ at $3}"
	fail "LUN $lun of $iqn ($s) has no $class device after $ISCSI_DEV_TIMEOUT s" \
		"(it has: $(cd "$dir" 2>/dev/null && echo target*/*:*:*:*))"
}

# _iscsi_node CLASS_DIR: /dev/NAME of the only entry in CLASS_DIR, once
# devtmpfs has made it.
_iscsi_node() {
	local n tries=100
	n=$(ls "$1")
	while [ ! -e "/dev/$n" ]; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "no /dev/$n"
		sleep 0.1
	done
	echo "/dev/$n"
}

# iscsi_disk IQN [LUN [PORTAL]]: /dev/sdX of LUN (default 0) of the session
# to IQN (through PORTAL), waiting up to ISCSI_DEV_TIMEOUT seconds for it.
iscsi_disk() {
	local d
	d=$(_iscsi_lun_dir "$1" "${2:-0}" "${3:-}" block) || exit 1
	_iscsi_node "$d/block"
}

# iscsi_sg IQN [LUN [PORTAL]]: /dev/sgN of LUN (default 0) of that session.
iscsi_sg() {
	local d
	d=$(_iscsi_lun_dir "$1" "${2:-0}" "${3:-}" scsi_generic) || exit 1
	_iscsi_node "$d/scsi_generic"
}

# iscsi_session_param IQN KEY [PORTAL]: the value negotiated for the session
# as the initiator's kernel has it.  KEY is an iSCSI key (HeaderDigest,
# DataDigest -> CRC32C|None; InitialR2T, ImmediateData, DataPDUInOrder,
# DataSequenceInOrder, IFMarker, OFMarker -> Yes|No; MaxRecvDataSegmentLength
# (what the initiator declared), MaxXmitDataSegmentLength (what the target
# declared), FirstBurstLength, MaxBurstLength, MaxOutstandingR2T,
# ErrorRecoveryLevel, TargetPortalGroupTag, TargetAlias -> as is), or the
# name of an attribute of the session or its connection 0 in sysfs
# (/sys/class/iscsi_session/sessionN/*, /sys/class/iscsi_connection/connectionN:0/*).
iscsi_session_param() {
	local s n attr v kind=raw
	s=$(_iscsi_session_of "$1" ${3:+"$3"}) || exit 1
	n=${s#session}
	case $2 in
	HeaderDigest) attr=header_digest kind=digest ;;
	DataDigest) attr=data_digest kind=digest ;;
	MaxRecvDataSegmentLength) attr=max_recv_dlength ;;
	MaxXmitDataSegmentLength) attr=max_xmit_dlength ;;
	FirstBurstLength) attr=first_burst_len ;;
	MaxBurstLength) attr=max_burst_len ;;
	InitialR2T) attr=initial_r2t kind=bool ;;
	ImmediateData) attr=immediate_data kind=bool ;;
	DataPDUInOrder) attr=data_pdu_in_order kind=bool ;;
	DataSequenceInOrder) attr=data_seq_in_order kind=bool ;;
	MaxOutstandingR2T) attr=max_outstanding_r2t ;;
	ErrorRecoveryLevel) attr=erl ;;
	TargetPortalGroupTag) attr=tpgt ;;
	TargetAlias) attr=targetalias ;;
	IFMarker) attr=ifmarker kind=bool ;;
	OFMarker) attr=ofmarker kind=bool ;;
	*) attr=$2 ;;
	esac
	if [ -r "/sys/class/iscsi_session/$s/$attr" ]; then
		v=$(cat "/sys/class/iscsi_session/$s/$attr") ||
			fail "cannot read $attr of $s"
	elif [ -r "/sys/class/iscsi_connection/connection$n:0/$attr" ]; then
		v=$(cat "/sys/class/iscsi_connection/connection$n:0/$attr") ||
			fail "cannot read $attr of connection$n:0"
	else
		fail "iscsi_session_param: no attribute $attr for $s"
	fi
	case $kind:$v in
	digest:1|digest:CRC32C) echo CRC32C ;;
	digest:0|digest:None) echo None ;;
	bool:1) echo Yes ;;
	bool:0) echo No ;;
	*) echo "$v" ;;
	esac
}

# ---------------------------------------------------------------- faults

# iscsi_drop_connection [PORT [initiator|target]]: abort every established
# TCP connection to PORT (default 3260) with ss -K, as a cable pull or a
# crash would end them; prints how many were aborted and fails if none was.
# "initiator" (the default) aborts the initiator's sockets, "target" the
# target's (a kernel target's socket too); the kernel sends the other end an
# RST, so both ends see the connection go.  The listening socket is left
# alone.  Needs CONFIG_INET_DIAG_DESTROY, which Debian's kernels and the
# debug lane have (ss -K prints nothing and this fails without it).
iscsi_drop_connection() {
	local port=${1:-3260} dir out n
	case ${2:-initiator} in
	initiator) dir=dport ;;
	target) dir=sport ;;
	*) fail "iscsi_drop_connection: side must be initiator or target, not $2" ;;
	esac
	modprobe -q -a inet_diag tcp_diag 2>/dev/null || true
	out=$(ss -K -H -t -n state established "( $dir = :$port )" 2>&1) ||
		fail "iscsi_drop_connection: ss -K failed: $out"
	n=$(printf '%s\n' "$out" | grep -c . || true)
	[ "$n" -gt 0 ] || fail "iscsi_drop_connection: no connection to port $port aborted" \
		"(ss -K printed '$out'; is CONFIG_INET_DIAG_DESTROY set?)"
	echo "$n"
}

# ---------------------------------------------------------------- cleanup

# iscsi_cleanup: log out of everything, stop iscsid, delete the node and
# discovery records, restore /etc/iscsi's files, unload iscsi_tcp.
iscsi_cleanup() {
	local f left=""
	if [ -n "$(ls /sys/class/iscsi_session 2>/dev/null)" ]; then
		[ -n "$(iscsid_pid)" ] || iscsid_start "$(cat "$ISCSI_STATE/initiator" 2>/dev/null)"
		iscsi_logout_all
	fi
	iscsid_stop
	rm -rf "$ISCSI_ETC/nodes" "$ISCSI_ETC/send_targets" "$ISCSI_ETC/static" \
		"$ISCSI_ETC/isns" "$ISCSI_ETC/fw" "$ISCSI_ETC/ifaces"
	for f in iscsid.conf initiatorname.iscsi; do
		if [ -e "$ISCSI_STATE/$f.orig" ]; then
			cp -p "$ISCSI_STATE/$f.orig" "$ISCSI_ETC/$f" ||
				fail "iscsi_cleanup: cannot restore $ISCSI_ETC/$f"
		elif [ -e "$ISCSI_STATE/$f.none" ]; then
			rm -f "$ISCSI_ETC/$f"
		fi
	done
	rm -rf "$ISCSI_STATE"
	if [ -d /sys/module/iscsi_tcp ]; then
		modprobe -r iscsi_tcp || left="iscsi_tcp (in use: $(cat /sys/module/iscsi_tcp/refcnt))"
	fi
	[ -z "$left" ] || fail "iscsi_cleanup: cannot unload $left"
}
