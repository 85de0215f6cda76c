#!/usr/bin/env bash
# deps.sh — install the Debian packages fisc builds and tests with, only those
# that are missing. Run as root on Debian 12 (the CI machine); a no-op when
# everything is there. Usage: scripts/deps.sh [build|test|all|bench]
# (bench: what the benchmarks need beyond the build: bench/serve.sh and
# bench/serve_pay.sh; `make bench-serve` / `make bench-serve-pay` run it).
set -euo pipefail
want=(gcc make pkg-config libsqlite3-dev libpq-dev libzip-dev libexpat1-dev libjansson-dev
      libutf8proc-dev libxlsxwriter-dev libsodium-dev libssl-dev libmicrohttpd-dev libxml2-dev
      libpango1.0-dev libcairo2-dev fonts-noto-cjk
      libmupdf-dev libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libjpeg-dev
      libharfbuzz-dev nodejs)
case "${1:-all}" in
  # wrk drives the HTTP load (bench/serve.sh, bench/serve_pay.sh), nginx is
  # serve.sh's static-file peer, PostgreSQL serve_pay.sh's second backend.
  bench) want+=(wrk nginx curl postgresql sqlite3) ;;
  test|all) want+=(libcmocka-dev clang libclang-rt-14-dev sqlite3 cmark-gfm curl iproute2
             libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils unzip libxml2-utils python3
             chromium postgresql) ;;
esac
missing=()
# groff: tests/cli/test_manpage.sh reads docs/fisc.1 the way man(1) does.
case "${1:-all}" in build|bench) ;; *) want+=(groff-base) ;; esac
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# make web needs npm: Debian's nodejs ships it as its own package, NodeSource's
# nodejs bundles it (and conflicts with Debian's npm), so ask for it only when
# there is no npm command.
[ "${1:-all}" = bench ] || command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages and not root; install them: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
