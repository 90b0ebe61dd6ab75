#!/bin/bash
# tests/fuzz/run.sh: build the libFuzzer targets (tests/fuzz/fuzz_*.c) with
# clang straight from the sources, replay the recorded crash reproducers,
# then run every target for a fixed time.  Any crash, leak, UBSan report,
# timeout or out-of-memory fails the run.
#
# Usage: tests/fuzz/run.sh [-b] [TARGET...]     (TARGET: authkeys, match, ...)
#   -b  build only (and replay the reproducers), do not fuzz
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 60)
#   FUZZ_JOBS        targets fuzzed at the same time (default: 2, at most
#                    the number of CPUs); each target is one process
#   FUZZ_BUILDDIR    where objects, binaries, the growing corpora, logs and
#                    crash artifacts go (default ${TMPDIR:-/tmp}/portcullis-fuzz-UID);
#                    reusing it keeps the corpora between runs
#   FUZZ_RSS_MB      -rss_limit_mb (default 2048)
#   FUZZ_TIMEOUT     seconds one input may take (default 10): a hang fails
#   FUZZ_CC          compiler (default clang; needs libFuzzer: clang-14 with
#                    libclang-rt-14-dev / libfuzzer-14-dev on Debian)
#   FUZZ_UNCOMMITTED 1: also use sources not committed to git (default 0:
#                    a target whose sources are not committed is skipped)
#
# Each target names what it needs in its header comment:
#   fuzz-requires: FILE...         sources that must be committed and built
#                                  into their library (listed in the part's
#                                  .mk fragment)
#   fuzz-requires-decl: HEADER NAME  NAME must be declared in HEADER
# A target whose requirements are not met is skipped with the reason; the
# run still passes.  Seeds: tests/fuzz/corpus/TARGET/ (read only; the
# fuzzer writes new inputs to FUZZ_BUILDDIR/corpus/TARGET).  Dictionary:
# tests/fuzz/TARGET.dict when present.  Reproducers of bugs found:
# tests/fuzz/crashes/TARGET-*; each is replayed first and must not crash
# (so an unfixed bug keeps this script failing).
#
# Default budget: 6 targets x 60 s on 2 jobs = 3 minutes of fuzzing, plus
# about a minute for configure and the build.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILDDIR=${FUZZ_BUILDDIR:-${TMPDIR:-/tmp}/portcullis-fuzz-$(id -u)}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_UNCOMMITTED=${FUZZ_UNCOMMITTED:-0}
ncpu=$(nproc 2>/dev/null || echo 1)
FUZZ_JOBS=${FUZZ_JOBS:-$((ncpu < 2 ? ncpu : 2))}
BUILD_ONLY=0
START=$(date +%s)

die() {
	echo "fuzz: ERROR: $*" >&2
	echo "fuzz: FAILED (setup error)"
	exit 1
}

while getopts b opt; do
	case "$opt" in
	b) BUILD_ONLY=1 ;;
	*) die "usage: $0 [-b] [TARGET...]" ;;
	esac
done
shift $((OPTIND - 1))

case "$FUZZ_SECONDS$FUZZ_JOBS$FUZZ_RSS_MB$FUZZ_TIMEOUT" in
*[!0-9]*) die "FUZZ_SECONDS, FUZZ_JOBS, FUZZ_RSS_MB, FUZZ_TIMEOUT must be numbers" ;;
esac
[ "$FUZZ_JOBS" -ge 1 ] || FUZZ_JOBS=1
command -v "$FUZZ_CC" >/dev/null || die "$FUZZ_CC not found (apt-get install clang)"
case "$FUZZ_BUILDDIR" in
/*) ;;
*) FUZZ_BUILDDIR=$PWD/$FUZZ_BUILDDIR ;;
esac

B=$FUZZ_BUILDDIR
mkdir -p "$B/conf" "$B/obj" "$B/bin" "$B/corpus" "$B/logs" "$B/artifacts"

# ---- committed? ----------------------------------------------------------
in_git=0
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	[ "$FUZZ_UNCOMMITTED" != 1 ]; then
	in_git=1
fi

# is_available FILE: present, and committed unless FUZZ_UNCOMMITTED=1
is_available() {
	[ -f "$SRC/$1" ] || return 1
	[ "$in_git" = 1 ] || return 0
	git -C "$SRC" cat-file -e "HEAD:$1" 2>/dev/null
}

# header_declares HEADER NAME (the committed text unless FUZZ_UNCOMMITTED=1)
header_declares() {
	is_available "$1" || return 1
	if [ "$in_git" = 1 ]; then
		git -C "$SRC" show "HEAD:$1" | grep -qw -- "$2"
	else
		grep -qw -- "$2" "$SRC/$1"
	fi
}

# ---- config.h --------------------------------------------------------------
# The sources expect autoconf's config.h (force-included, as Makefile.am
# does).  A private configure run in $B/conf provides it.
if [ ! -x "$SRC/configure" ]; then
	echo "fuzz: no configure script: running autoreconf -fi in $SRC"
	(cd "$SRC" && flock /tmp/pc-build.lock autoreconf -fi) >"$B/logs/autoreconf.log" 2>&1 ||
		die "autoreconf failed, see $B/logs/autoreconf.log"
fi
# Again only when configure or config.h.in changed in content (autoreconf
# in a shared tree rewrites them with new times and the same text).
conf_sum=$(cat "$SRC/configure" "$SRC/config.h.in" 2>/dev/null | cksum)
if [ ! -f "$B/conf/config.h" ] || [ ! -f "$B/conf/stamp" ] ||
	[ "$(cat "$B/conf/stamp")" != "$conf_sum" ]; then
	echo "fuzz: configure (config.h only) in $B/conf"
	(cd "$B/conf" && CC=$FUZZ_CC "$SRC/configure" --quiet) \
		>"$B/logs/configure.log" 2>&1 ||
		die "configure failed, see $B/logs/configure.log"
	[ -f "$B/conf/config.h" ] || die "configure made no config.h"
	echo "$conf_sum" >"$B/conf/stamp"
fi

# ---- compiling ---------------------------------------------------------------
# shellcheck disable=SC2054  # commas inside a flag
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
CPPFLAGS=(-include "$B/conf/config.h" -I"$SRC" -I"$B/conf"
	-DSYSCONFDIR='"/etc"' -DLIBEXECDIR='"/usr/lib/portcullis"')
# shellcheck disable=SC2207  # pkg-config's words
CFLAGS=(-std=c11 -g -O1 "${SAN[@]}" -fsanitize=fuzzer-no-link
	-Wall -Wextra -Wno-unused-parameter $(pkg-config --cflags libssh 2>/dev/null))
# our own files: the project's warning set, as errors
OWN_CFLAGS=(-Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla)
# shellcheck disable=SC2207
LIBS=($(pkg-config --libs libssh libcrypto 2>/dev/null) -lanl -lutil -lcrypt)
if grep -q '^#define HAVE_LIBWRAP 1' "$B/conf/config.h"; then
	LIBS+=(-lwrap)
fi
if grep -q '^#define HAVE_PAM 1' "$B/conf/config.h"; then
	LIBS+=(-lpam)
fi

# compile SRCFILE [extra flags]: prints the object path; recompiles when the
# source or any header of the tree is newer (cheap and safe)
newest_header=
compile() {
	local src=$1 obj
	shift
	obj=$B/obj/${src//\//_}
	obj=${obj%.c}.o
	if [ -z "$newest_header" ]; then
		newest_header=$(find "$SRC/common" "$SRC/policy" "$SRC/sshd" \
			"$SRC/tests/fuzz" -name '*.h' -newer "$B/conf/config.h" \
			-printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
		[ -n "$newest_header" ] || newest_header=$B/conf/config.h
	fi
	if [ ! -f "$obj" ] || [ "$SRC/$src" -nt "$obj" ] ||
		[ "$newest_header" -nt "$obj" ] || [ "$B/conf/config.h" -nt "$obj" ]; then
		if ! "$FUZZ_CC" "${CPPFLAGS[@]}" "${CFLAGS[@]}" "$@" -c "$SRC/$src" \
			-o "$obj" 2>"$obj.log"; then
			cat "$obj.log" >&2
			return 1
		fi
	fi
	echo "$obj"
}

# library sources: the .c files a part's fragment lists (the real build's
# list), restricted to the available ones
lib_sources() {
	local mk=$1 re=$2 f
	[ -f "$SRC/$mk" ] || return 0
	for f in $(grep -oE "$re" "$SRC/$mk" | sort -u); do
		if is_available "$f"; then
			echo "$f"
		fi
	done
}
declare -A LIB_SRCS
LIB_SRCS[common]=$(lib_sources common/local.mk 'common/[A-Za-z0-9_]+\.c')
LIB_SRCS[policy]=$(lib_sources policy/local.mk 'policy/[A-Za-z0-9_]+\.c')
LIB_SRCS[config]=$(lib_sources sshd/config.mk 'sshd/config[A-Za-z0-9_]*\.c')
declare -A LIB_BUILT

# build_lib NAME: $B/obj/libNAME.a from its sources
build_lib() {
	local name=$1 f o objs=()
	if [ -n "${LIB_BUILT[$name]:-}" ]; then
		[ "${LIB_BUILT[$name]}" = ok ]
		return
	fi
	LIB_BUILT[$name]=failed
	for f in ${LIB_SRCS[$name]}; do
		o=$(compile "$f") || {
			echo "fuzz: compiling $f failed" >&2
			return 1
		}
		objs+=("$o")
	done
	rm -f "$B/obj/lib$name.a"
	if [ "${#objs[@]}" -gt 0 ]; then
		ar rcs "$B/obj/lib$name.a" "${objs[@]}"
	else
		ar rcs "$B/obj/lib$name.a"
	fi
	LIB_BUILT[$name]=ok
}

# which library a required source belongs to
lib_of() {
	case "$1" in
	common/*) echo common ;;
	policy/*) echo policy ;;
	sshd/config*) echo config ;;
	*) echo none ;;
	esac
}

# ---- targets -------------------------------------------------------------------
all_targets=()
for f in "$SRC"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	t=${t#fuzz_}
	[ "$t" = util ] || all_targets+=("$t")
done
if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=("${all_targets[@]}")
fi

declare -A STATUS NOTE
ready=()
util_obj=

# check_target T: sets NOTE[T] and returns 1 when T must be skipped
check_target() {
	local t=$1 file=$SRC/tests/fuzz/fuzz_$1.c req lib hdr name
	[ -f "$file" ] || {
		NOTE[$t]="no such target (tests/fuzz/fuzz_$t.c)"
		return 2
	}
	for req in $(sed -n 's/^ \* fuzz-requires: //p' "$file"); do
		lib=$(lib_of "$req")
		if ! is_available "$req"; then
			NOTE[$t]="$req is not committed yet"
			return 1
		fi
		if [ "$lib" != none ] && ! grep -qxF "$req" <<<"${LIB_SRCS[$lib]}"; then
			NOTE[$t]="$req is not in the build yet (not listed in its .mk fragment)"
			return 1
		fi
	done
	while read -r hdr name; do
		[ -n "$hdr" ] || continue
		if ! header_declares "$hdr" "$name"; then
			NOTE[$t]="$hdr does not declare $name yet"
			return 1
		fi
	done < <(sed -n 's/^ \* fuzz-requires-decl: //p' "$file")
	return 0
}

# link_target T: the target, fuzz_util and the libraries of its required
# sources (the config code also needs the policy's validators; every part
# needs common)
link_target() {
	local t=$1 file=tests/fuzz/fuzz_$1.c obj libs=() lib req
	local -A want=([common]=1)
	obj=$(compile "$file" "${OWN_CFLAGS[@]}") || return 1
	for req in $(sed -n 's/^ \* fuzz-requires: //p' "$SRC/$file"); do
		lib=$(lib_of "$req")
		[ "$lib" = none ] || want[$lib]=1
	done
	[ -z "${want[config]:-}" ] || want[policy]=1
	for lib in config policy common; do
		[ -n "${want[$lib]:-}" ] || continue
		build_lib "$lib" || return 1
		libs+=("$B/obj/lib$lib.a")
	done
	"$FUZZ_CC" "${SAN[@]}" -fsanitize=fuzzer "$obj" "$util_obj" \
		"${libs[@]}" "${LIBS[@]}" -o "$B/bin/fuzz_$t" \
		2>"$B/logs/link_$t.log" || {
		cat "$B/logs/link_$t.log" >&2
		return 1
	}
}

echo "fuzz: building with $("$FUZZ_CC" --version | head -n 1) into $B"
util_obj=$(compile tests/fuzz/fuzz_util.c "${OWN_CFLAGS[@]}") ||
	die "compiling tests/fuzz/fuzz_util.c failed"
for t in "${targets[@]}"; do
	rc=0
	check_target "$t" || rc=$?
	if [ "$rc" -eq 1 ]; then
		STATUS[$t]=skipped
		echo "fuzz: $t: SKIPPED: ${NOTE[$t]}"
		continue
	elif [ "$rc" -eq 2 ]; then
		STATUS[$t]=FAILED
		echo "fuzz: $t: FAILED: ${NOTE[$t]}"
		continue
	fi
	if ! link_target "$t"; then
		STATUS[$t]=FAILED
		NOTE[$t]="build failed"
		echo "fuzz: $t: FAILED: build failed"
		continue
	fi
	ready+=("$t")
done

# quarantine 32 MB instead of 256: an input allocates well under 1 MB, so
# use-after-free within an input is still caught, and the fuzzers run two
# to three times faster (fresh quarantine pages cost page faults)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---- recorded reproducers ----------------------------------------------------
runnable=()
for t in "${ready[@]}"; do
	repro=()
	for f in "$SRC/tests/fuzz/crashes/$t"-*; do
		[ -f "$f" ] && repro+=("$f")
	done
	if [ "${#repro[@]}" -gt 0 ]; then
		if ! "$B/bin/fuzz_$t" -rss_limit_mb="$FUZZ_RSS_MB" \
			-timeout="$FUZZ_TIMEOUT" "${repro[@]}" \
			>"$B/logs/replay_$t.log" 2>&1; then
			STATUS[$t]=FAILED
			NOTE[$t]="a recorded reproducer still fails (tests/fuzz/crashes/$t-*): see $B/logs/replay_$t.log"
			echo "fuzz: $t: FAILED: ${NOTE[$t]}"
			{ grep -E 'ERROR:|runtime error|fuzz_check|Running:' \
				"$B/logs/replay_$t.log" || true; } | head -n 20 | sed 's/^/    /'
			continue
		fi
		echo "fuzz: $t: ${#repro[@]} recorded reproducer(s) pass"
	fi
	runnable+=("$t")
done

# ---- fuzzing ---------------------------------------------------------------------
run_one() {
	local t=$1 seeds=$SRC/tests/fuzz/corpus/$1 dict=() args=() rc=0
	rm -f "$B/logs/rc_$t"
	mkdir -p "$B/corpus/$t" "$B/artifacts/$t"
	if [ -f "$SRC/tests/fuzz/$t.dict" ]; then
		dict=(-dict="$SRC/tests/fuzz/$t.dict")
	fi
	args=("$B/corpus/$t")
	[ -d "$seeds" ] && args+=("$seeds")
	"$B/bin/fuzz_$t" -max_total_time="$FUZZ_SECONDS" \
		-rss_limit_mb="$FUZZ_RSS_MB" -timeout="$FUZZ_TIMEOUT" \
		-print_final_stats=1 -artifact_prefix="$B/artifacts/$t/" \
		"${dict[@]}" "${args[@]}" >"$B/logs/fuzz_$t.log" 2>&1 || rc=$?
	echo "$rc" >"$B/logs/rc_$t"
}

if [ "$BUILD_ONLY" = 0 ] && [ "${#runnable[@]}" -gt 0 ]; then
	echo "fuzz: running ${#runnable[@]} target(s), ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time"
	declare -A PID_OF
	for t in "${runnable[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$FUZZ_JOBS" ]; do
			wait -n || true
		done
		run_one "$t" &
		PID_OF[$t]=$!
	done
	for t in "${runnable[@]}"; do
		wait "${PID_OF[$t]}" 2>/dev/null || true
		rc=$(cat "$B/logs/rc_$t" 2>/dev/null) || rc=missing
		log=$B/logs/fuzz_$t.log
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
		cov=$({ grep -oE 'cov: [0-9]+' "$log" || true; } | tail -n 1 | cut -d' ' -f2)
		corp=$(find "$B/corpus/$t" -type f | wc -l)
		if [ "$rc" = 0 ]; then
			STATUS[$t]=ok
			NOTE[$t]="${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, corpus $corp"
			echo "fuzz: $t: ok: ${NOTE[$t]}"
		else
			STATUS[$t]=FAILED
			art=$(find "$B/artifacts/$t" -type f -newer "$B/bin/fuzz_$t" | head -n 1)
			NOTE[$t]="exit $rc after ${execs:-?} execs; input: ${art:-none}; log: $log"
			echo "fuzz: $t: FAILED: ${NOTE[$t]}"
			{ grep -E '^==[0-9]+==ERROR|runtime error|fuzz_check failed|^SUMMARY|#[0-9]+ 0x.* in ' \
				"$log" || true; } | head -n 25 | sed 's/^/    /'
		fi
	done
elif [ "$BUILD_ONLY" = 1 ]; then
	for t in "${runnable[@]}"; do
		STATUS[$t]=ok
		echo "fuzz: $t: built ($B/bin/fuzz_$t)"
	done
fi

# ---- summary -----------------------------------------------------------------------
ok=0 skipped=0 failed=0 failed_names=
for t in "${targets[@]}"; do
	case "${STATUS[$t]:-FAILED}" in
	ok) ok=$((ok + 1)) ;;
	skipped) skipped=$((skipped + 1)) ;;
	*)
		failed=$((failed + 1))
		failed_names="$failed_names $t"
		;;
	esac
done
elapsed=$(($(date +%s) - START))
if [ "$failed" -gt 0 ]; then
	echo "fuzz: FAILED: $failed failed ($failed_names ), $ok ok, $skipped skipped, ${elapsed}s"
	exit 1
fi
echo "fuzz: PASS: $ok ok, $skipped skipped, ${elapsed}s"
