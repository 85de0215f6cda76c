# pglib.sh — sourced by the tests that run against PostgreSQL: a throw-away
# cluster on a Unix socket in a temporary directory (initdb/pg_ctl, as
# bench/ does), stopped and removed when the sourcing shell exits.
#
#   pg_start [durable]  start it; sets PGD (socket directory) and returns 1
#                       when PostgreSQL is not installed (scripts/deps.sh test).
#                       fsync is off (a test's data is thrown away) unless
#                       "durable": a test that crashes the server itself
#                       needs what a real one has, fsync and full pages.
#   pg_newdb NAME       create database NAME; prints its libpq conninfo
#   pg_crash            stop it as a power cut would (pg_ctl stop -m
#                       immediate: no checkpoint, recovery at the next start)
#   pg_restart          start it again after pg_crash
#   pg_stop             stop it (also run on EXIT)
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGD=""
PGOPTS=""
pg_as() { # run as the cluster's owner: postgres when we are root
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_stop() {
	if [ -n "$PGD" ] && [ -d "$PGD" ]; then
		pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$PGD"
	fi
	PGD=""
}
pg_start() {
	[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || return 1
	PGD=$(mktemp -d /tmp/fisc-pg.XXXXXX)
	chmod 755 "$PGD"
	[ "$(id -u)" = 0 ] && chown postgres "$PGD"
	trap pg_stop EXIT
	# A signal (^C, a closed pipe) ends the script through its EXIT trap,
	# so that no cluster is left running.
	trap 'exit 1' INT TERM HUP PIPE
	local sync=--no-sync
	PGOPTS="-k $PGD -c listen_addresses='' -c shared_buffers=64MB"
	if [ "${1:-}" = durable ]; then
		sync=""
		PGOPTS="$PGOPTS -c fsync=on -c full_page_writes=on -c synchronous_commit=on"
	else
		PGOPTS="$PGOPTS -c fsync=off -c full_page_writes=off"
	fi
	pg_as "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		$sync >"$PGD/initdb.log" 2>&1 || { cat "$PGD/initdb.log" >&2; return 2; }
	pg_restart
}
pg_restart() {
	pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -o "$PGOPTS" \
		start >"$PGD/pg_ctl.log" 2>&1 || { cat "$PGD/log" >&2; return 2; }
}
pg_crash() {
	pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1
}
pg_newdb() {
	"$PGBIN/createdb" -h "$PGD" -U postgres "$1" || return 1
	echo "host=$PGD user=postgres dbname=$1"
}

# pg_both NAME ARGS…: `fisc ARGS` on the SQLite store $sq and the PostgreSQL
# store $pg (the caller's), outputs kept in $dir/NAME.{sq,pg}[.err]; stdout,
# stderr and exit code must be identical, else FAIL and fail=1.
pg_both() {
	local name=$1; shift
	"$FISC" --db "$sq" "$@" >"$dir/$name.sq" 2>"$dir/$name.sq.err"; echo "exit $?" >>"$dir/$name.sq"
	"$FISC" --db "$pg" "$@" >"$dir/$name.pg" 2>"$dir/$name.pg.err"; echo "exit $?" >>"$dir/$name.pg"
	if ! cmp -s "$dir/$name.sq" "$dir/$name.pg" || ! cmp -s "$dir/$name.sq.err" "$dir/$name.pg.err"; then
		echo "FAIL: $name differs between SQLite and PostgreSQL: $*"
		diff "$dir/$name.sq" "$dir/$name.pg" | head -10
		diff "$dir/$name.sq.err" "$dir/$name.pg.err" | head -10
		fail=1
	fi
}
