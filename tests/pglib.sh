# pglib.sh — sourced by the tests that run against PostgreSQL: a throw-away
# cluster on a Unix socket in a temporary directory (initdb/pg_ctl, as
# bench/ does), stopped and removed when the sourcing shell exits.
#
#   pg_start            start it; sets PGD (socket directory) and returns 1
#                       when PostgreSQL is not installed (scripts/deps.sh test)
#   pg_newdb NAME       create database NAME; prints its libpq conninfo
#   pg_stop             stop it (also run on EXIT)
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGD=""
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
	# fsync off and a small cluster: a test's data is thrown away.
	pg_as "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$PGD/initdb.log" 2>&1 || { cat "$PGD/initdb.log" >&2; return 2; }
	pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w \
		-o "-k $PGD -c listen_addresses='' -c fsync=off -c full_page_writes=off -c shared_buffers=64MB" \
		start >"$PGD/pg_ctl.log" 2>&1 || { cat "$PGD/log" >&2; return 2; }
}
pg_newdb() {
	"$PGBIN/createdb" -h "$PGD" -U postgres "$1" || return 1
	echo "host=$PGD user=postgres dbname=$1"
}
