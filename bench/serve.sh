#!/usr/bin/env bash
# serve.sh — issue 12's HTTP benchmark (make bench-serve): cached reads from
# fisc serve over loopback, driven by wrk at 64 connections, beside nginx
# serving the very same bytes as a static file (the practical ceiling of an
# HTTP server on this machine). Two reads: a balance table (JSON) and the
# region overview (JSON), each asked by a finance user with a bearer token,
# so every request is authenticated, authorized and then answered from the
# response cache (the first request of each is the miss that fills it).
# Writes the "Serve" section of BENCHMARKS.md (replacing an earlier one).
#
# Environment: SERVE_SECONDS (per run, default 10), SERVE_CONNS (64),
# SERVE_THREADS (fisc serve's pool and nginx's workers, default nproc),
# BENCH_MD (default BENCHMARKS.md).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECS=${SERVE_SECONDS:-10}
CONNS=${SERVE_CONNS:-64}
THREADS=${SERVE_THREADS:-$(nproc)}
MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
OUT=$ROOT/build/bench/serve
FISC=$ROOT/build/fisc
export FISC_DATADIR=$ROOT/data
log() { echo "bench-serve: $*" >&2; }

# wrk and nginx are bench-only packages (scripts/deps.sh bench).
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
	scripts/deps.sh bench || { log "needs wrk and nginx (scripts/deps.sh bench, as root)"; exit 2; }
fi
make -s -j2 all >/dev/null || { log "build failed"; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT/www" "$OUT/nginx"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)

spid= npid=
cleanup() {
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$npid" ] && kill -TERM "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
}
trap cleanup EXIT

# The store: the examples, a finance user of 北碚区 (500109).
db=$OUT/fisc.db
"$FISC" --db "$db" import examples/*.csv >/dev/null 2>&1 || { log "import failed"; exit 2; }
echo "bench-serve-password" | "$FISC" --db "$db" user add bench --role 财政 --region 500109 >/dev/null ||
	{ log "user add failed"; exit 2; }
TOKEN=$("$FISC" --db "$db" user token bench)

"$FISC" --db "$db" serve --listen 127.0.0.1:0 --threads "$THREADS" --access-log "$OUT/fisc-access.log" \
	>"$OUT/serve.out" 2>"$OUT/serve.err" &
spid=$!
for _ in $(seq 1 100); do grep -q '^listening' "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
FBASE=$(sed -n 's/^listening //p' "$OUT/serve.out")
[ -n "$FBASE" ] || { log "fisc serve did not start: $(cat "$OUT/serve.err")"; exit 2; }

# name → path of each read
declare -A URL=(
	[balance]="/api/regions/500109/balance?year=2023&book=gpb"
	[overview]="/api/regions/500109/overview?year=2023"
)
for name in balance overview; do
	curl -s -o "$OUT/www/$name.json" -H "Authorization: Bearer $TOKEN" "$FBASE${URL[$name]}"
	state=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $TOKEN" "$FBASE${URL[$name]}" |
		sed -n 's/^X-Fisc-Cache: *\([a-z]*\).*/\1/Ip')
	[ "$state" = hit ] || { log "$name is not served from the cache ($state)"; exit 2; }
done

# nginx on a free loopback port with the same bytes, the same workers.
NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$OUT/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $THREADS;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $OUT/nginx/access.log;
	client_body_temp_path $OUT/nginx/body;
	proxy_temp_path $OUT/nginx/proxy;
	fastcgi_temp_path $OUT/nginx/fastcgi;
	uwsgi_temp_path $OUT/nginx/uwsgi;
	scgi_temp_path $OUT/nginx/scgi;
	default_type application/json;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NPORT;
		root $OUT/www;
	}
}
EOF
/usr/sbin/nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" 2>"$OUT/nginx/start.err" &
npid=$!
NBASE=http://127.0.0.1:$NPORT
for _ in $(seq 1 50); do curl -s -o /dev/null "$NBASE/balance.json" && break; sleep 0.1; done
for name in balance overview; do
	curl -s -o "$OUT/nginx-$name.json" "$NBASE/$name.json"
	cmp -s "$OUT/nginx-$name.json" "$OUT/www/$name.json" || { log "nginx does not serve the same bytes"; exit 2; }
done

# run NAME SYSTEM URL [wrk args…]: requests/s and p99 (ms) into results.tsv
RES=$OUT/results.tsv
: >"$RES"
run() {
	local name=$1 sys=$2 url=$3; shift 3
	wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" >"$OUT/wrk-$sys-$name.txt" 2>&1
	local rps p99 non2xx
	rps=$(awk '/^Requests\/sec:/{print $2}' "$OUT/wrk-$sys-$name.txt")
	p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) sub(/ms/,"",v); else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' "$OUT/wrk-$sys-$name.txt")
	non2xx=$(awk '/Non-2xx/{print $NF}' "$OUT/wrk-$sys-$name.txt")
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$sys" "$rps" "$p99" "${non2xx:-0}" >>"$RES"
	log "$sys $name: $rps req/s, p99 $p99 ms${non2xx:+, $non2xx non-2xx}"
}
for name in balance overview; do
	run "$name" nginx "$NBASE/$name.json"
	run "$name" fisc "$FBASE${URL[$name]}" -H "Authorization: Bearer $TOKEN"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
WALL=$(($(date +%s) - T0))

get() { awk -F'\t' -v n="$1" -v s="$2" -v c="$3" '$1==n && $2==s {print $c}' "$RES"; }
section() {
	echo "## Serve: cached reads over HTTP (issue 12)"
	echo
	echo "Written by \`bench/serve.sh\` (\`make bench-serve\`) on $(date -u '+%Y-%m-%d %H:%M UTC'); the run took ${WALL} s;"
	echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //; s/ [0-9]*-Core.*//')), load average $LOAD0 at the start, $LOAD1 at the end"
	echo "(the machine is shared: other sessions' builds and tests run beside it, so compare the rows of one run)."
	echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), 2 threads, $CONNS connections, ${SECS} s per run, on loopback;"
	echo "fisc serve with $THREADS pool threads and nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///') with $THREADS workers, both writing an access log."
	echo
	echo "Each fisc request carries a finance user's bearer token: it is authenticated (token lookup),"
	echo "its region resolved and authorized against the role matrix, the store's data version read,"
	echo "and the body copied from the response cache. nginx serves the same bytes as a static file."
	echo
	echo "| read | bytes | nginx req/s | fisc req/s | fisc ÷ nginx | p99 nginx ms | p99 fisc ms |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for name in balance overview; do
		local rn rf pn pf
		rn=$(get "$name" nginx 3) rf=$(get "$name" fisc 3) pn=$(get "$name" nginx 4) pf=$(get "$name" fisc 4)
		echo "| \`GET ${URL[$name]}\` | $(wc -c <"$OUT/www/$name.json") | $rn | $rf | $(awk -v a="$rf" -v b="$rn" 'BEGIN{ if (b>0) printf "%.0f %%", 100*a/b }') | $pn | $pf |"
	done
	echo
	echo "Targets of issue 12 (≥ 50 % of nginx's requests/s, p99 ≤ 10 ms at $CONNS connections), from this run:"
	echo
	for name in balance overview; do
		local rn rf pf
		rn=$(get "$name" nginx 3) rf=$(get "$name" fisc 3) pf=$(get "$name" fisc 4)
		echo "- $name: $(awk -v a="$rf" -v b="$rn" 'BEGIN{ printf "%.0f %% of nginx — %s", 100*a/b, (a >= 0.5*b ? "**met**" : "**not met**") }'); p99 $pf ms — $(awk -v p="$pf" 'BEGIN{ print (p <= 10 ? "**met**" : "**not met**") }')"
	done
	echo
	echo "Raw results: build/bench/serve/results.tsv (read, system, requests/s, p99 ms, non-2xx) and the wrk"
	echo "outputs beside it. Reproduce: \`make bench-serve\` (SERVE_SECONDS, SERVE_CONNS, SERVE_THREADS)."
}
TMP=$OUT/md.tmp
if [ -f "$MD" ]; then
	awk '/^## Serve: cached reads over HTTP/{skip=1; next} skip && /^## /{skip=0} !skip' "$MD" >"$TMP"
else
	: >"$TMP"
fi
{ cat "$TMP"; echo; section; } | cat -s >"$MD"
log "wrote the serve section of $MD"
