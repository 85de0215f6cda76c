/*
** fisc/user.h — the people who use a shared store through `fisc serve`:
** users with a role, their sessions and API tokens, what is published to
** the public, and the event log of every login, denial and write.
**
** Passwords are kept only as Argon2id hashes (libsodium crypto_pwhash_str).
** Session and API tokens are 256 random bits handed to the client once; the
** store keeps only their SHA-256, so a copy of the store opens no session.
** The event log is append-only: fisc_event_log is the one place where the
** server records what happened, and every event is a record of the ledger's
** journal (fisc/journal.h, tag "event"), so `fisc journal verify` finds an
** event removed, changed or inserted.
*/
#ifndef FISC_USER_H
#define FISC_USER_H

#include "export.h"

#include <stdint.h>
#include "arena.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fisc_role {
	FISC_ROLE_FINANCE = 1,    /* 财政: everything in its region */
	FISC_ROLE_DEPARTMENT = 2, /* 部门: its own department's figures */
	FISC_ROLE_REVIEWER = 3,   /* 审查: reads everything of its region, writes nothing */
	FISC_ROLE_PUBLIC = 4      /* 公众: no login; what is published */
} fisc_role;

/* Role from "finance" / "财政" / "department" / "部门" / "reviewer" /
** "审查" / "public" / "公众"; -1 when unknown. */
FISC_API int fisc_role_parse(const char *s);
FISC_API const char *fisc_role_code(int role); /* "finance" … */
FISC_API const char *fisc_role_name(int role); /* 财政 … */

typedef struct fisc_user {
	int64_t id;
	const char *name;
	int role;            /* fisc_role (never PUBLIC: the public has no account) */
	const char *region;  /* region code the user belongs to */
	const char *dept;    /* department text (as in facts) for DEPARTMENT, else "" */
	int disabled;
	const char *created_at; /* UTC "YYYY-MM-DD HH:MM:SS" */
} fisc_user;

/* Shortest password accepted. */
#define FISC_PASSWORD_MIN 10

/* Add a user; the region must exist (by code or name; stored as its code), a
** department user needs `dept`. FISC_EEXIST when the name is taken,
** FISC_EINVAL for a bad name, role or password (bilingual message). */
FISC_API int fisc_user_add(fisc_store *st, const fisc_user *u, const char *password);
/* By name; fields allocated in a. FISC_ENOTFOUND when there is none. */
FISC_API int fisc_user_find(fisc_store *st, const char *name, fisc_arena *a, fisc_user *out);
typedef int (*fisc_user_cb)(void *ud, const fisc_user *u);
FISC_API int fisc_user_each(fisc_store *st, fisc_user_cb cb, void *ud);
FISC_API int fisc_user_set_password(fisc_store *st, const char *name, const char *password);
FISC_API int fisc_user_set_disabled(fisc_store *st, const char *name, int disabled);
/* The user when the password is right and the account enabled; otherwise
** FISC_ENOTFOUND with one message for every cause (no oracle for names). */
FISC_API int fisc_user_verify(fisc_store *st, const char *name, const char *password,
		     fisc_arena *a, fisc_user *out);

/* Tokens: FISC_TOKEN_CHARS characters of base64url (32 random bytes). */
#define FISC_TOKEN_CHARS 43
enum { FISC_TOKEN_SESSION = 1, FISC_TOKEN_API = 2 };

/* Issue a token of `kind` for a user, valid `ttl` seconds from now; the
** clear token is written to out (FISC_TOKEN_CHARS + 1 bytes). */
FISC_API int fisc_token_issue(fisc_store *st, int64_t user, int kind, int64_t ttl,
		     char out[FISC_TOKEN_CHARS + 1]);
/* The enabled user a live token belongs to, and its kind; FISC_ENOTFOUND
** for an unknown, expired or revoked token or a disabled user. */
FISC_API int fisc_token_check(fisc_store *st, const char *token, fisc_arena *a, fisc_user *out,
		     int *kind);
FISC_API int fisc_token_revoke(fisc_store *st, const char *token);
/* The CSRF token that goes with a session token: a keyed hash of it, so it
** needs no storage and cannot be computed without the (HttpOnly) session. */
FISC_API void fisc_token_csrf(const char *token, char out[FISC_TOKEN_CHARS + 1]);

/* Published reports: what the public may read, per region and year. */
FISC_API int fisc_publish_set(fisc_store *st, const char *region, int year, int published);
/* 1 published, 0 not; negative on error. */
FISC_API int fisc_publish_get(fisc_store *st, int64_t region, int year);

/* The event log: who (user name, "" for the public), from where, did what
** (action: "login", "login_failed", "denied", "publish", …) to what, and
** the outcome ("ok", "denied", "failed"). */
typedef struct fisc_event {
	int64_t id;
	const char *at;      /* UTC "YYYY-MM-DDTHH:MM:SSZ", set by fisc_event_log */
	const char *actor;
	const char *address;
	const char *action;
	const char *target;
	const char *outcome;
} fisc_event;
FISC_API int fisc_event_log(fisc_store *st, const fisc_event *e);
typedef int (*fisc_event_cb)(void *ud, const fisc_event *e);
/* The last `limit` events (0: all), oldest first. */
FISC_API int fisc_event_each(fisc_store *st, int64_t limit, fisc_event_cb cb, void *ud);

#ifdef __cplusplus
}
#endif
#endif
