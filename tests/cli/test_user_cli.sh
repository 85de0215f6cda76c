#!/usr/bin/env bash
# test_user_cli.sh — `fisc user`: passwords only from stdin or a file (an
# argument is refused), roles and regions checked, list, disable/enable,
# passwd, API tokens, and every change in the event log.
. "$(dirname "$0")/../storelib.sh"
set -u
: "${FISC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db=$(tdb "$tmp/fisc.db")
fail() { echo "FAIL: $*" >&2; exit 1; }
"$FISC" --db "$db" import examples/regions.csv > /dev/null || fail import

"$FISC" --db "$db" user add wang --role 财政 --region 北碚区 --password secret-secret 2> "$tmp/err" < /dev/null
[ $? = 2 ] || fail "a password on the command line must be refused"
grep -q -- "--password" "$tmp/err" || fail "the refusal does not name the option: $(cat "$tmp/err")"
echo "short" | "$FISC" --db "$db" user add wang --role 财政 --region 北碚区 2> "$tmp/err"
[ $? = 2 ] && grep -q '至少 10 个字符' "$tmp/err" || fail "short password: $(cat "$tmp/err")"
echo "long-enough-pw" | "$FISC" --db "$db" user add wang --role 管理员 --region 北碚区 2> /dev/null
[ $? = 2 ] || fail "unknown role accepted"
echo "long-enough-pw" | "$FISC" --db "$db" user add wang --role finance --region 火星 2> "$tmp/err"
[ $? = 2 ] || fail "unknown region accepted"
echo "long-enough-pw" | "$FISC" --db "$db" user add dep --role 部门 --region 500109 2> /dev/null
[ $? = 2 ] || fail "department user without --department accepted"

echo "long-enough-pw" | "$FISC" --db "$db" user add wang --role 财政 --region 北碚区 || fail "add wang"
printf 'file-password-1\n' > "$tmp/pw"
"$FISC" --db "$db" user add li --role reviewer --region 500109 --password-file "$tmp/pw" || fail "add li"
echo "long-enough-pw" | "$FISC" --db "$db" user add wang --role 财政 --region 北碚区 2> "$tmp/err"
[ $? = 2 ] && grep -q '已存在' "$tmp/err" || fail "a second wang"
"$FISC" --db "$db" user list > "$tmp/list" || fail list
grep -qP '^wang\t财政\t500109\t-\t启用/enabled\t' "$tmp/list" || fail "list: $(cat "$tmp/list")"
grep -qP '^li\t审查\t500109\t' "$tmp/list" || fail "list li"
"$FISC" --db "$db" user disable li && "$FISC" --db "$db" user list | grep -qP '^li\t.*停用/disabled' || fail disable
"$FISC" --db "$db" user enable li || fail enable
echo "another-password" | "$FISC" --db "$db" user passwd wang || fail passwd
"$FISC" --db "$db" user passwd ghost < "$tmp/pw" 2> /dev/null; [ $? = 2 ] || fail "passwd of nobody"
tok=$("$FISC" --db "$db" user token wang --days 1) || fail token
[ ${#tok} = 43 ] || fail "token '$tok'"
"$FISC" --db "$db" user log > "$tmp/log" || fail log
for a in "user add	wang" "user add	li" "user disable	li" "user enable	li" "user passwd	wang" "user token	wang"; do
  grep -qF "	cli	$a	ok" "$tmp/log" || fail "'$a' not in the event log: $(cat "$tmp/log")"
done
grep -q "$tok" "$tmp/log" && fail "the token itself is in the log"
echo "ok: fisc user"
