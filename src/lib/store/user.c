/*
** user.c — users, tokens, publication marks and the event log (fisc/user.h):
** the rules and the cryptography in front of the backend's tables.
**
** libsodium does the cryptography: Argon2id for passwords (crypto_pwhash_str
** with the interactive limits, the hash string carrying its own parameters so
** that they can be raised later), randombytes_buf for tokens, SHA-256 for the
** stored form of a token and a keyed BLAKE2b for the CSRF token.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "fisc/error.h"
#include "store/backend.h"
#include "ledger/state.h"

static const struct {
	const char *code, *name;
} roles[] = {
	{NULL, NULL},
	{"finance", "财政"},
	{"department", "部门"},
	{"reviewer", "审查"},
	{"public", "公众"},
};

int fisc_role_parse(const char *s)
{
	for (int r = FISC_ROLE_FINANCE; s && r <= FISC_ROLE_PUBLIC; r++)
		if (!strcmp(s, roles[r].code) || !strcmp(s, roles[r].name))
			return r;
	return -1;
}

const char *fisc_role_code(int role)
{
	return role >= FISC_ROLE_FINANCE && role <= FISC_ROLE_PUBLIC ? roles[role].code : "?";
}

const char *fisc_role_name(int role)
{
	return role >= FISC_ROLE_FINANCE && role <= FISC_ROLE_PUBLIC ? roles[role].name : "?";
}

static int users(fisc_store *st)
{
	if (!st->vt->user)
		return fisc_error_set(FISC_EUNSUPPORTED, "该存储不支持用户 / this store has no users");
	if (sodium_init() < 0)
		return fisc_error_set(FISC_EIO, "libsodium 初始化失败 / libsodium failed to start");
	return FISC_OK;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	size_t n = strlen(password);
	if (n < FISC_PASSWORD_MIN)
		return fisc_error_set(FISC_EINVAL, "密码至少 %d 个字符 / a password needs at least %d characters",
				      FISC_PASSWORD_MIN, FISC_PASSWORD_MIN);
	if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return fisc_error_set(FISC_ENOMEM, "内存不足，无法计算密码散列 / out of memory hashing "
						   "the password");
	return FISC_OK;
}

/* Names are what people type at a login form: letters, digits, . _ - and
** CJK, no spaces or controls, at most 64 bytes. */
static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80 && !(*p >= '0' && *p <= '9') && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= 'A' && *p <= 'Z') && *p != '.' && *p != '_' && *p != '-')
			return 0;
	return 1;
}

int fisc_user_add(fisc_store *st, const fisc_user *u, const char *password)
{
	int rc = users(st);
	if (rc != FISC_OK)
		return rc;
	if (!u->name || !valid_name(u->name))
		return fisc_error_set(FISC_EINVAL, "用户名只能含字母、数字、汉字和 . _ -（最多 64 字节）/ "
						   "a user name is letters, digits, CJK and . _ - (at most 64 bytes)");
	if (u->role != FISC_ROLE_FINANCE && u->role != FISC_ROLE_DEPARTMENT &&
	    u->role != FISC_ROLE_REVIEWER)
		return fisc_error_set(FISC_EINVAL, "角色只能是 财政、部门 或 审查 / the role is finance, "
						   "department or reviewer");
	if (u->role == FISC_ROLE_DEPARTMENT && (!u->dept || !*u->dept))
		return fisc_error_set(FISC_EINVAL, "部门用户需要 --department / a department user needs "
						   "--department");
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	rc = fisc_store_region_find(st, u->region ? u->region : "", a, &r);
	char h[crypto_pwhash_STRBYTES];
	if (rc == FISC_OK)
		rc = hash_password(password, h);
	if (rc == FISC_OK) {
		fisc_user v = *u;
		v.region = r.code; /* a region renamed later still matches */
		v.dept = u->role == FISC_ROLE_DEPARTMENT ? u->dept : "";
		rc = st->vt->user->user_put(st, &v, h);
		if (rc == FISC_EEXIST)
			rc = fisc_error_set(FISC_EEXIST, "用户「%s」已存在 / user '%s' exists", u->name,
					    u->name);
	}
	sodium_memzero(h, sizeof h);
	fisc_arena_free(a);
	return rc;
}

int fisc_user_find(fisc_store *st, const char *name, fisc_arena *a, fisc_user *out)
{
	int rc = users(st);
	return rc == FISC_OK ? st->vt->user->user_find(st, name, a, out, NULL) : rc;
}

int fisc_user_each(fisc_store *st, fisc_user_cb cb, void *ud)
{
	int rc = users(st);
	return rc == FISC_OK ? st->vt->user->user_each(st, cb, ud) : rc;
}

int fisc_user_set_password(fisc_store *st, const char *name, const char *password)
{
	char h[crypto_pwhash_STRBYTES];
	int rc = users(st);
	if (rc == FISC_OK)
		rc = hash_password(password, h);
	if (rc == FISC_OK)
		rc = st->vt->user->user_update(st, name, h, -1);
	sodium_memzero(h, sizeof h);
	return rc;
}

int fisc_user_set_disabled(fisc_store *st, const char *name, int disabled)
{
	int rc = users(st);
	return rc == FISC_OK ? st->vt->user->user_update(st, name, NULL, disabled ? 1 : 0) : rc;
}

/* A hash to verify against when the user does not exist, so that an unknown
** name costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "fisc-no-such-user", 17, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = 0;
}

int fisc_user_verify(fisc_store *st, const char *name, const char *password, fisc_arena *a,
		     fisc_user *out)
{
	int rc = users(st);
	if (rc != FISC_OK)
		return rc;
	const char *h = NULL;
	rc = st->vt->user->user_find(st, name, a, out, &h);
	if (rc != FISC_OK && rc != FISC_ENOTFOUND)
		return rc;
	if (rc == FISC_ENOTFOUND) {
		pthread_once(&dummy_once, make_dummy);
		h = dummy_hash;
	}
	int ok = h && *h && crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
	if (rc != FISC_OK || !ok || out->disabled)
		return fisc_error_set(FISC_ENOTFOUND, "用户名或密码错误 / wrong user name or password");
	return FISC_OK;
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int fisc_token_issue(fisc_store *st, int64_t user, int kind, int64_t ttl,
		     char out[FISC_TOKEN_CHARS + 1])
{
	int rc = users(st);
	if (rc != FISC_OK)
		return rc;
	unsigned char raw[32], h[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, FISC_TOKEN_CHARS + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	token_hash(out, h);
	return st->vt->user->token_put(st, h, user, kind, (int64_t)time(NULL) + ttl);
}

int fisc_token_check(fisc_store *st, const char *token, fisc_arena *a, fisc_user *out, int *kind)
{
	int rc = users(st);
	if (rc != FISC_OK)
		return rc;
	if (strlen(token) != FISC_TOKEN_CHARS)
		return fisc_error_set(FISC_ENOTFOUND, "会话无效或已过期 / invalid or expired session");
	unsigned char h[32];
	token_hash(token, h);
	return st->vt->user->token_find(st, h, (int64_t)time(NULL), a, out, kind);
}

int fisc_token_revoke(fisc_store *st, const char *token)
{
	int rc = users(st);
	unsigned char h[32];
	if (rc != FISC_OK)
		return rc;
	token_hash(token, h);
	return st->vt->user->token_delete(st, h);
}

void fisc_token_csrf(const char *token, char out[FISC_TOKEN_CHARS + 1])
{
	static const unsigned char key[] = "fisc csrf token v1 (blake2b key)";
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), key,
			   sizeof key - 1);
	sodium_bin2base64(out, FISC_TOKEN_CHARS + 1, h, sizeof h,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int fisc_publish_set(fisc_store *st, const char *region, int year, int published)
{
	int rc = users(st);
	fisc_arena *a = rc == FISC_OK ? fisc_arena_new() : NULL;
	fisc_region r;
	if (rc != FISC_OK)
		return rc;
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	rc = fisc_store_region_find(st, region, a, &r);
	if (rc == FISC_OK)
		rc = st->vt->user->publish_set(st, r.id, year, published);
	fisc_arena_free(a);
	return rc;
}

int fisc_publish_get(fisc_store *st, int64_t region, int year)
{
	int rc = users(st);
	return rc == FISC_OK ? st->vt->user->publish_get(st, region, year) : rc;
}

/* An event is a record of the ledger's journal (tag "event"), chained and
** verified like every entry, and a row of event_log, the index that
** `fisc user log` lists; both in one transaction, with one timestamp. */
int fisc_event_log(fisc_store *st, const fisc_event *e)
{
	int rc = users(st);
	if (rc != FISC_OK)
		return rc;
	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fisc_event ev = *e;
	ev.at = at;
	lg_buf b = {0};
	if (lg_event_payload(&b, &ev))
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	rc = fisc_store_begin(st);
	if (rc == FISC_OK) {
		rc = fisc_journal_append(st, "event", b.p, b.n, NULL);
		if (rc == FISC_OK)
			rc = st->vt->user->event_put(st, &ev);
		if (rc == FISC_OK)
			rc = fisc_store_commit(st);
		if (rc != FISC_OK)
			fisc_store_rollback(st);
	}
	lg_buf_free(&b);
	return rc;
}

int fisc_event_each(fisc_store *st, int64_t limit, fisc_event_cb cb, void *ud)
{
	int rc = users(st);
	return rc == FISC_OK ? st->vt->user->event_each(st, limit, cb, ud) : rc;
}
