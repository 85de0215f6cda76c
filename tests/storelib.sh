# storelib.sh — sourced by the CLI tests that use a store: the store's
# address on the backend under test, so that one script runs on SQLite and,
# in the runner's PostgreSQL pass (tests/run.sh --pg), on PostgreSQL.
#
#   tdb PATH        the address of a fresh, empty store: PATH itself on
#                   SQLite; on PostgreSQL (FISC_TEST_PG set to the libpq
#                   conninfo of the runner's cluster, as for the unit tests,
#                   tests/testutil.h) a new schema of that cluster named after
#                   PATH (a second tdb of the same PATH empties it again, as
#                   rm -f PATH does for a file).
#   tsql STORE SQL  run SQL on the store (sqlite3 or psql); rows print as
#                   "a|b", one a line, on both.
#   tpg             true when the store under test is PostgreSQL.
#
# A script that is about the SQLite file itself says so in a line
# "# sqlite-only: REASON" and the PostgreSQL pass skips it.
tpg() { [ -n "${FISC_TEST_PG:-}" ]; }

# The schema's name: "t" and the first 16 hex digits of the path's SHA-1
# (an unquoted identifier, and the same for every call with that path).
_tdb_schema() { printf 't%s' "$(printf '%s' "$1" | sha1sum | cut -c1-16)"; }

tdb() {
	if ! tpg; then
		printf '%s\n' "$1"
		return
	fi
	local s
	s=$(_tdb_schema "$1")
	PGOPTIONS=-cclient_min_messages=warning psql -X -q -At "$FISC_TEST_PG" -c "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" \
		>/dev/null || return 1
	# A URI, not key=value words: the address has no space or quote, so
	# that tests can put it inside a quoted command line (script -c '…').
	local host user db
	host=$(sed -n "s/.*host=\([^ ]*\).*/\1/p" <<<"$FISC_TEST_PG")
	user=$(sed -n "s/.*user=\([^ ]*\).*/\1/p" <<<"$FISC_TEST_PG")
	db=$(sed -n "s/.*dbname=\([^ ]*\).*/\1/p" <<<"$FISC_TEST_PG")
	printf 'postgresql:///%s?host=%s&user=%s&options=-csearch_path%%3D%s\n' "$db" "$host" "$user" "$s"
}

tsql() {
	local db=$1
	shift
	case $db in
	postgresql://*)
		local s=${db##*search_path%3D}
		PGOPTIONS="-csearch_path=$s" psql -X -q -At -v ON_ERROR_STOP=1 "$FISC_TEST_PG" <<<"$*"
		;;
	*) sqlite3 "$db" "$*" ;;
	esac
}

# psql from the cluster's own binaries when it is not on PATH (Debian).
if tpg && ! command -v psql >/dev/null 2>&1; then
	PATH=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1):$PATH
fi
