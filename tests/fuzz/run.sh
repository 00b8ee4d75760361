#!/bin/bash
# tests/fuzz/run.sh [RUNS] - build the iSCSI parser fuzz harness (PDU header,
# login text, CHAP values) with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, from the same iscsi/*.c files the kernel module
# builds, and run it for RUNS inputs (default 1000000) from a seed corpus of
# valid login PDUs.  A crash, a sanitizer report or a broken promise of the
# parsers fails it.  Runs on the host: no guest needed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-${SCST_FUZZ_RUNS:-1000000}}
work=${SCST_FUZZ_DIR:-${TMPDIR:-/tmp}/scst-fuzz}
rm -rf "$work"
mkdir -p "$work/corpus"

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Werror -I "$top/iscsi" -o "$work/iscsi_fuzz" \
	"$top/tests/fuzz/iscsi_fuzz.c" "$top/iscsi/iscsi_pdu.c" "$top/iscsi/iscsi_text.c" \
	"$top/iscsi/iscsi_chap_text.c"

# seed NAME BYTE0 BYTE1 TEXT: a header (opcode, flags, data length) and a
# NUL-separated text; TEXT uses printf escapes.
seed() {
	local text len
	text=$(printf "$4" | od -An -v -tx1 | tr -d ' \n')
	len=$((${#text} / 2))
	{
		printf "\\x$2\\x$3\\x00\\x00\\x00\\x$(printf %02x $((len >> 16)))"
		printf "\\x$(printf %02x $(((len >> 8) & 255)))\\x$(printf %02x $((len & 255)))"
		head -c 40 /dev/zero
		printf "$4"
	} >"$work/corpus/$1"
}
seed login 43 87 'InitiatorName=iqn.2026-12.org.example:host\0SessionType=Normal\0TargetName=iqn.2026-12.org.example:disk\0AuthMethod=None\0'
seed oper 43 87 'HeaderDigest=CRC32C,None\0DataDigest=None\0MaxConnections=1\0InitialR2T=No\0ImmediateData=Yes\0MaxRecvDataSegmentLength=262144\0MaxBurstLength=1048576\0FirstBurstLength=65536\0DefaultTime2Wait=0x2\0DefaultTime2Retain=0\0MaxOutstandingR2T=1\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0ErrorRecoveryLevel=0\0'
seed text 04 80 'SendTargets=All\0'
seed chap_a 43 01 'CHAP_A=7,6,5\0'
seed chap_r 43 81 'CHAP_N=alice\0CHAP_R=0x8cdeeb24ac955d20533057a2e05d7f8a\0CHAP_I=200\0CHAP_C=0bZGVmZ2hpamtsbW5vcHFyc3R1dnc=\0'
seed cmd 01 a1 ''

"$work/iscsi_fuzz" -runs="$runs" -max_len=9000 -seed=1 "$work/corpus" \
	>"$work/log" 2>&1 || { tail -n 40 "$work/log"; echo "fuzz: FAILED" >&2; exit 1; }
echo "fuzz: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$work/log"), no crash"
