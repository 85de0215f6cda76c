/*
** test_user.c — users, tokens, publication marks and the event log of
** fisc/user.h on a fresh SQLite store: what is stored is a hash, what is
** checked is the rule (wrong password, disabled user, expired or revoked
** token, unknown region, short password), and a new password ends sessions;
** every event is a journal entry that `journal verify` checks the log against.
*/
#include "testutil.h"
#include <sodium.h>
#include <sqlite3.h>
#include "fisc/fisc.h"

typedef struct fx {
	char *dir, *path;
	fisc_store *st;
	fisc_arena *a;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tmpdir();
	size_t n = strlen(f->dir) + 16;
	f->path = malloc(n);
	snprintf(f->path, n, "%s/fisc.db", f->dir);
	char *uri = tu_store_uri(f->path);
	free(f->path);
	f->path = uri;
	assert_int_equal(fisc_store_open(f->path, &f->st), FISC_OK);
	fisc_region r = {0, "500109", "北碚区", "", "区", "全区", "区级", "镇级"};
	int64_t id;
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_OK);
	f->a = fisc_arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	fisc_arena_free(f->a);
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static const char PW[] = "correct-horse-battery";

static void add(fx *f, const char *name, int role, const char *region, const char *dept)
{
	fisc_user u = {0};
	u.name = name;
	u.role = role;
	u.region = region;
	u.dept = dept;
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_OK);
}

/* What the store holds for the password: an Argon2id string, never the text. */
static void password_is_argon2id(void **state)
{
	fx *f = *state;
	add(f, "wang", FISC_ROLE_FINANCE, "北碚区", NULL); /* by name, stored as the code */
	if (tu_pg()) {
		PGconn *c = PQconnectdb(f->path);
		PGresult *r = PQexec(c, "SELECT pwhash, region_code FROM app_user");
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_int_equal(PQntuples(r), 1);
		assert_true(!strncmp(PQgetvalue(r, 0, 0), "$argon2id$", 10));
		assert_null(strstr(PQgetvalue(r, 0, 0), PW));
		assert_string_equal(PQgetvalue(r, 0, 1), "500109");
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT pwhash, region_code FROM app_user", -1, &q, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		const char *h = (const char *)sqlite3_column_text(q, 0);
		assert_true(!strncmp(h, "$argon2id$", 10));
		assert_null(strstr(h, PW));
		assert_string_equal((const char *)sqlite3_column_text(q, 1), "500109");
		sqlite3_finalize(q);
		sqlite3_close(db);
	}

	fisc_user u;
	assert_int_equal(fisc_user_verify(f->st, "wang", PW, f->a, &u), FISC_OK);
	assert_int_equal(u.role, FISC_ROLE_FINANCE);
	assert_int_equal(fisc_user_verify(f->st, "wang", "correct-horse-batterx", f->a, &u), FISC_ENOTFOUND);
	char wrong[1024];
	snprintf(wrong, sizeof wrong, "%s", fisc_error_message());
	assert_int_equal(fisc_user_verify(f->st, "nobody", PW, f->a, &u), FISC_ENOTFOUND);
	assert_string_equal(fisc_error_message(), wrong); /* no oracle for names */
}

static void bad_users_refused(void **state)
{
	fx *f = *state;
	fisc_user u = {0};
	u.name = "li";
	u.role = FISC_ROLE_FINANCE;
	u.region = "500109";
	assert_int_equal(fisc_user_add(f->st, &u, "short"), FISC_EINVAL);
	u.region = "nowhere";
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_ENOTFOUND);
	u.region = "500109";
	u.role = FISC_ROLE_DEPARTMENT; /* no department */
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_EINVAL);
	u.role = FISC_ROLE_PUBLIC;
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_EINVAL);
	u.role = FISC_ROLE_REVIEWER;
	u.name = "li si"; /* a space */
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_EINVAL);
	u.name = "li";
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_OK);
	assert_int_equal(fisc_user_add(f->st, &u, PW), FISC_EEXIST);
	assert_int_equal(fisc_role_parse("审查"), FISC_ROLE_REVIEWER);
	assert_int_equal(fisc_role_parse("department"), FISC_ROLE_DEPARTMENT);
	assert_int_equal(fisc_role_parse("admin"), -1);
}

static void tokens_live_and_die(void **state)
{
	fx *f = *state;
	add(f, "dep", FISC_ROLE_DEPARTMENT, "500109", "北碚区财政局");
	fisc_user u;
	assert_int_equal(fisc_user_find(f->st, "dep", f->a, &u), FISC_OK);
	char t1[FISC_TOKEN_CHARS + 1], t2[FISC_TOKEN_CHARS + 1], old[FISC_TOKEN_CHARS + 1],
		api[FISC_TOKEN_CHARS + 1];
	assert_int_equal(fisc_token_issue(f->st, u.id, FISC_TOKEN_SESSION, 3600, t1), FISC_OK);
	assert_int_equal(fisc_token_issue(f->st, u.id, FISC_TOKEN_SESSION, 3600, t2), FISC_OK);
	assert_int_equal(fisc_token_issue(f->st, u.id, FISC_TOKEN_SESSION, -1, old), FISC_OK);
	assert_int_equal(fisc_token_issue(f->st, u.id, FISC_TOKEN_API, 3600, api), FISC_OK);
	assert_int_equal((int)strlen(t1), FISC_TOKEN_CHARS);
	assert_string_not_equal(t1, t2);
	fisc_user w;
	int kind;
	assert_int_equal(fisc_token_check(f->st, t1, f->a, &w, &kind), FISC_OK);
	assert_string_equal(w.name, "dep");
	assert_string_equal(w.dept, "北碚区财政局");
	assert_int_equal(kind, FISC_TOKEN_SESSION);
	assert_int_equal(fisc_token_check(f->st, old, f->a, &w, &kind), FISC_ENOTFOUND); /* expired */
	t1[0] ^= 1;
	assert_int_equal(fisc_token_check(f->st, t1, f->a, &w, &kind), FISC_ENOTFOUND);
	t1[0] ^= 1;
	assert_int_equal(fisc_token_revoke(f->st, t1), FISC_OK);
	assert_int_equal(fisc_token_check(f->st, t1, f->a, &w, &kind), FISC_ENOTFOUND);
	/* a new password ends the sessions, not the scripts' API tokens */
	assert_int_equal(fisc_user_set_password(f->st, "dep", "another-long-password"), FISC_OK);
	assert_int_equal(fisc_token_check(f->st, t2, f->a, &w, &kind), FISC_ENOTFOUND);
	assert_int_equal(fisc_token_check(f->st, api, f->a, &w, &kind), FISC_OK);
	assert_int_equal(kind, FISC_TOKEN_API);
	assert_int_equal(fisc_user_verify(f->st, "dep", PW, f->a, &w), FISC_ENOTFOUND);
	/* disabled: no login, no token */
	assert_int_equal(fisc_user_set_disabled(f->st, "dep", 1), FISC_OK);
	assert_int_equal(fisc_token_check(f->st, api, f->a, &w, &kind), FISC_ENOTFOUND);
	assert_int_equal(fisc_user_verify(f->st, "dep", "another-long-password", f->a, &w), FISC_ENOTFOUND);
	assert_int_equal(fisc_user_set_disabled(f->st, "dep", 0), FISC_OK);
	assert_int_equal(fisc_token_check(f->st, api, f->a, &w, &kind), FISC_OK);
	assert_int_equal(fisc_user_set_disabled(f->st, "ghost", 1), FISC_ENOTFOUND);
	/* CSRF: fixed per session, different between sessions */
	char c1[FISC_TOKEN_CHARS + 1], c2[FISC_TOKEN_CHARS + 1], c3[FISC_TOKEN_CHARS + 1];
	fisc_token_csrf(t2, c1);
	fisc_token_csrf(t2, c2);
	fisc_token_csrf(api, c3);
	assert_string_equal(c1, c2);
	assert_string_not_equal(c1, c3);
	assert_string_not_equal(c1, t2);
}

static int count_events(void *ud, const fisc_event *e)
{
	(*(int *)ud)++;
	assert_non_null(e->at);
	return 0;
}

static void publish_and_events(void **state)
{
	fx *f = *state;
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", f->a, &r), FISC_OK);
	assert_int_equal(fisc_publish_get(f->st, r.id, 2024), 0);
	assert_int_equal(fisc_publish_set(f->st, "北碚区", 2024, 1), FISC_OK);
	assert_int_equal(fisc_publish_set(f->st, "北碚区", 2024, 1), FISC_OK); /* idempotent */
	assert_int_equal(fisc_publish_get(f->st, r.id, 2024), 1);
	assert_int_equal(fisc_publish_get(f->st, r.id, 2023), 0);
	assert_int_equal(fisc_publish_set(f->st, "500109", 2024, 0), FISC_OK);
	assert_int_equal(fisc_publish_get(f->st, r.id, 2024), 0);
	assert_int_equal(fisc_publish_set(f->st, "nowhere", 2024, 1), FISC_ENOTFOUND);
	fisc_event e = {0, NULL, "wang", "127.0.0.1", "denied", "GET /x", "forbidden"};
	for (int i = 0; i < 3; i++)
		assert_int_equal(fisc_event_log(f->st, &e), FISC_OK);
	int n = 0;
	assert_int_equal(fisc_event_each(f->st, 2, count_events, &n), FISC_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(fisc_event_each(f->st, 0, count_events, &n), FISC_OK);
	assert_int_equal(n, 3);
}

static void sql(const char *db, const char *q)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static int verifies(fx *f, int64_t *bad_seq)
{
	fisc_journal_report r;
	assert_int_equal(fisc_journal_verify(f->st, &r), FISC_OK);
	*bad_seq = r.bad_seq;
	return r.ok;
}

/* Every event is a journal entry (chained between the ledger's own entries):
** the journal verifies, and a row of the event log edited, deleted or
** inserted by hand is found at the entry it no longer matches. */
static void events_are_journal_entries(void **state)
{
	fx *f = *state;
	int64_t seq0, seq1, bad;
	uint8_t h[FISC_HASH_BYTES];
	assert_int_equal(fisc_journal_head(f->st, &seq0, h), FISC_OK);
	fisc_event e = {0, NULL, "wang", "127.0.0.1", "denied", "GET /x", "forbidden"};
	assert_int_equal(fisc_event_log(f->st, &e), FISC_OK);
	assert_int_equal(fisc_store_begin(f->st), FISC_OK);
	assert_int_equal(fisc_journal_append(f->st, "import", "x", 1, NULL), FISC_OK);
	assert_int_equal(fisc_store_commit(f->st), FISC_OK);
	e.action = "publish";
	e.outcome = "ok";
	assert_int_equal(fisc_event_log(f->st, &e), FISC_OK);
	assert_int_equal(fisc_journal_head(f->st, &seq1, h), FISC_OK);
	assert_int_equal(seq1, seq0 + 3);
	assert_true(verifies(f, &bad));

	TU_SQLITE_ONLY("the tampering below edits the SQLite file directly");
	sql(f->path, "UPDATE event_log SET outcome='ok' WHERE action='denied'");
	assert_false(verifies(f, &bad));
	assert_int_equal(bad, seq0 + 1);
	sql(f->path, "UPDATE event_log SET outcome='forbidden' WHERE action='denied'");
	assert_true(verifies(f, &bad));

	sql(f->path, "DELETE FROM event_log WHERE action='publish'");
	assert_false(verifies(f, &bad));
	assert_int_equal(bad, seq0 + 3); /* the publish entry has no row */
	sql(f->path, "INSERT INTO event_log(at,actor,address,action,target,outcome) SELECT at,actor,"
		     "address,'publish',target,'ok' FROM event_log WHERE action='denied'");
	assert_true(verifies(f, &bad));
	sql(f->path, "INSERT INTO event_log(actor,address,action,target,outcome) VALUES('x','y','z','w','v')");
	assert_false(verifies(f, &bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(password_is_argon2id, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_users_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(tokens_live_and_die, setup, teardown),
		cmocka_unit_test_setup_teardown(publish_and_events, setup, teardown),
		cmocka_unit_test_setup_teardown(events_are_journal_entries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
