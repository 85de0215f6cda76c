#!/usr/bin/env bash
# Issue 10, item 16: every command of the README's ```sh blocks runs, in
# order, in a fresh directory, as a new user would paste them: `fisc` (or
# build/fisc) is the binary under test, `make …` lines are skipped (the
# binary is already built). A command exits 0 unless its comment says
# "exit N". The commands are read from the README itself, so the README
# cannot drift from what works.
# sqlite-only: the README's examples against the SQLite files they name
set -u
here=$PWD
readme=$here/README.md
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The fresh directory sees the source tree's files (examples/, data/, docs/…)
# but its own outputs: every top-level entry is linked, nothing copied back.
for f in "$here"/*; do
  case $(basename "$f") in build | build-* | *.db | demo-out) continue ;; esac
  ln -s "$f" "$dir/$(basename "$f")"
done
cat >"$dir/.prelude" <<PRE
fisc() { "$FISC" "\$@"; }
PRE

# Extract: lines of ```sh blocks, backslash continuations joined.
mapfile -t cmds < <(awk '
  /^```sh[ \t]*$/ { inblock = 1; next }
  /^```/ { inblock = 0; next }
  inblock {
    line = $0
    if (cont != "") line = cont " " line
    if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); next }
    cont = ""
    print line
  }' "$readme")

n=0 fail=0
for cmd in "${cmds[@]}"; do
  trimmed=${cmd#"${cmd%%[![:space:]]*}"}
  case $trimmed in "" | "#"*) continue ;; esac
  case $trimmed in make | make\ * | sudo\ make*) continue ;; esac
  want=0
  if [[ $trimmed =~ \#.*exit[[:space:]]+([0-9]+) ]]; then want=${BASH_REMATCH[1]}; fi
  run=${trimmed//build\/fisc/fisc}
  n=$((n + 1))
  (cd "$dir" && bash -c ". ./.prelude; $run") >"$dir/.out" 2>&1 </dev/null
  rc=$?
  if [ $rc -ne "$want" ]; then
    echo "FAIL README command (exit $rc, want $want): $trimmed"
    head -c 1500 "$dir/.out"; echo
    fail=1
  fi
done
echo "ran $n commands" >&2
[ $n -ge 10 ] || { echo "FAIL only $n commands found in README.md's sh blocks"; fail=1; }
exit $fail
