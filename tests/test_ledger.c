/*
** test_ledger.c — the 指标 ledger: rules of documents and payments, the
** database's own defences, a model-based test against a reference model
** from many threads (FISC_TORTURE=1 for 10⁶ operations), the journal
** detecting every kind of tampering, and kill -9 of the engine while eight
** submitters run.
*/
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include "testutil.h"
#include "fisc/fisc.h"
#include "model/strmap.h"

/* ---- helpers -------------------------------------------------------------- */

static char *tmp_db(char **dir)
{
	*dir = tu_tmpdir();
	char *p = malloc(strlen(*dir) + 16);
	sprintf(p, "%s/l.db", *dir);
	char *uri = tu_store_uri(p);
	free(p);
	return uri;
}

static fisc_quota_line line_id(const char *dept, const char *econ)
{
	return (fisc_quota_line){0, "210200-GX", 2025, FISC_BOOK_GPB, dept, "", "2010301", econ,
				 FISC_FUND_LOCAL, "", FISC_EXP_BASIC, 0, 0, 0};
}

static int doc1(fisc_ledger *l, const char *no, int kind, int n, const fisc_quota_leg *legs,
		fisc_ledger_result *res)
{
	fisc_quota_doc d = {no, 20250101, (uint8_t)kind, "测试", (size_t)n, legs};
	return fisc_ledger_apply(l, &d, 1, NULL, res);
}

/* The SQLite statements of these tests in PostgreSQL's dialect. */
static char *pg_dialect(const char *q)
{
	static const char *const from_to[][2] = {
		{"zeroblob(32)", "decode(repeat('00',32),'hex')"},
		{"x'00'", "'\\x00'::bytea"},
		{"CAST(replace(CAST(bytes AS TEXT),'4:1002,','4:9002,') AS BLOB)",
		 "convert_to(replace(convert_from(bytes,'UTF8'),'4:1002,','4:9002,'),'UTF8')"},
	};
	char *out = strdup(q);
	for (size_t i = 0; i < sizeof from_to / sizeof *from_to; i++) {
		char *at;
		while ((at = strstr(out, from_to[i][0])) != NULL) {
			size_t n = strlen(out) - strlen(from_to[i][0]) + strlen(from_to[i][1]) + 1;
			char *next = malloc(n);
			snprintf(next, n, "%.*s%s%s", (int)(at - out), out, from_to[i][1],
				 at + strlen(from_to[i][0]));
			free(out);
			out = next;
		}
	}
	return out;
}

static void sql(const char *db, const char *q, int expect_ok)
{
	if (tu_pg()) {
		char *pq = pg_dialect(q);
		PGconn *c = PQconnectdb(db);
		PGresult *r = PQexec(c, pq);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
		if (expect_ok && !ok)
			fprintf(stderr, "sql failed: %s: %s\n", pq, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		free(pq);
		assert_int_equal(ok, expect_ok);
		return;
	}
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	int rc = sqlite3_exec(h, q, NULL, NULL, NULL);
	if (expect_ok && rc != SQLITE_OK)
		fprintf(stderr, "sql failed: %s: %s\n", q, sqlite3_errmsg(h));
	if (expect_ok)
		assert_int_equal(rc, SQLITE_OK);
	else
		assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_close(h);
}

static void verify_ok(const char *db, int expect_ok, int64_t expect_seq)
{
	fisc_store *st;
	assert_int_equal(fisc_store_open(db, &st), FISC_OK);
	fisc_journal_report r;
	assert_int_equal(fisc_journal_verify(st, &r), FISC_OK);
	if (r.ok != expect_ok || (!expect_ok && expect_seq >= 0 && r.bad_seq != expect_seq))
		fprintf(stderr, "verify: ok=%d bad_seq=%lld %s\n", r.ok, (long long)r.bad_seq, r.msg);
	assert_int_equal(r.ok, expect_ok);
	if (!expect_ok && expect_seq >= 0)
		assert_int_equal(r.bad_seq, expect_seq);
	fisc_store_close(st);
}

/* ---- rules ----------------------------------------------------------------- */

static void test_documents_and_payments(void **state)
{
	(void)state;
	char *dir, *db = tmp_db(&dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);

	fisc_quota_leg approve[2] = {{line_id("财政局", "30101"), 100000}, {line_id("财政局", "30201"), 50000}};
	assert_int_equal(doc1(l, "大高财〔2025〕1号", FISC_DOC_APPROVE, 2, approve, &res), FISC_OK);
	assert_int_equal(res.replay, 0);
	assert_int_equal(fisc_ledger_line_count(l), 2);
	/* Same 文号, same content: a replay; other content: refused. */
	assert_int_equal(doc1(l, "大高财〔2025〕1号", FISC_DOC_APPROVE, 2, approve, &res), FISC_OK);
	assert_int_equal(res.replay, 1);
	approve[1].fen = 1;
	assert_int_equal(doc1(l, "大高财〔2025〕1号", FISC_DOC_APPROVE, 2, approve, &res), FISC_EEXIST);
	approve[1].fen = 50000;

	/* A request beyond 可用 is refused with the line's figures. */
	fisc_payment p = {"k1", 1, 80000, "某公司", "工资", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_OK);
	assert_int_equal(res.pending, 80000);
	assert_int_equal(res.state, FISC_PAY_PENDING);
	fisc_payment p2 = {"k2", 1, 20001, "某公司", "工资", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &p2, &res), FISC_ERANGE);
	assert_non_null(strstr(fisc_error_message(), "可用 200.00 元"));
	assert_non_null(strstr(fisc_error_message(), "指标 1,000.00 元"));
	assert_non_null(strstr(fisc_error_message(), "insufficient quota"));
	/* Idempotency: same key and content → the first result; other content → error. */
	assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_OK);
	assert_int_equal(res.replay, 1);
	assert_int_equal(res.pending, 80000);
	p.fen = 80001;
	assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_EEXIST);
	p.fen = 80000;

	/* 调减 below 已支付 + 在途 is refused; down to it is accepted. */
	fisc_quota_leg cut = {line_id("财政局", "30101"), -20001};
	assert_int_equal(doc1(l, "调减1", FISC_DOC_CUT, 1, &cut, &res), FISC_ERANGE);
	assert_non_null(strstr(fisc_error_message(), "在途 800.00 元"));
	cut.fen = -20000;
	assert_int_equal(doc1(l, "调减1", FISC_DOC_CUT, 1, &cut, &res), FISC_OK);
	assert_int_equal(res.quota, 80000);
	/* 调剂 must net to zero, and may not strip a line below paid + pending. */
	fisc_quota_leg shift[2] = {{line_id("财政局", "30201"), -10000}, {line_id("财政局", "30101"), 9000}};
	assert_int_equal(doc1(l, "调剂1", FISC_DOC_SHIFT, 2, shift, &res), FISC_EINVAL);
	shift[1].fen = 10000;
	assert_int_equal(doc1(l, "调剂1", FISC_DOC_SHIFT, 2, shift, &res), FISC_OK);
	fisc_quota_line ln;
	assert_int_equal(fisc_ledger_line_get(l, 1, &ln), FISC_OK);
	assert_int_equal(ln.quota, 90000);
	/* 调减 of a line that does not exist, wrong signs. */
	fisc_quota_leg ghost = {line_id("教育局", "30101"), -1};
	assert_int_equal(doc1(l, "调减2", FISC_DOC_CUT, 1, &ghost, &res), FISC_ENOTFOUND);
	ghost.fen = 1;
	assert_int_equal(doc1(l, "调减2", FISC_DOC_CUT, 1, &ghost, &res), FISC_EINVAL);

	/* A group of documents is all or nothing. */
	fisc_quota_leg add = {line_id("教育局", "30101"), 500};
	fisc_quota_leg badcut = {line_id("财政局", "30101"), -999999};
	fisc_quota_doc group[2] = {{"追加1", 20250301, FISC_DOC_ADD, "a", 1, &add},
				   {"调减3", 20250301, FISC_DOC_CUT, "a", 1, &badcut}};
	size_t failed = 99;
	assert_int_equal(fisc_ledger_apply(l, group, 2, &failed, &res), FISC_ERANGE);
	assert_int_equal(failed, 1);
	assert_int_equal(fisc_ledger_line_count(l), 2);
	badcut.fen = -1;
	assert_int_equal(fisc_ledger_apply(l, group, 2, &failed, &res), FISC_OK);
	assert_int_equal(fisc_ledger_line_count(l), 3);

	/* NULL text in an identity is "" (the same line as written with ""). */
	fisc_quota_leg nul = {line_id("教育局", "30101"), 7};
	nul.line.project = NULL;
	nul.line.func = "2010301";
	nul.line.fund_doc = NULL;
	assert_int_equal(doc1(l, "追加2", FISC_DOC_ADD, 1, &nul, &res), FISC_OK);
	assert_int_equal(fisc_ledger_line_count(l), 3);
	assert_int_equal(res.quota, 507);

	/* States: 在途 → 已支付, refund after payment; 在途 → 已退回. */
	assert_int_equal(fisc_ledger_confirm(l, "k1", &res), FISC_OK);
	assert_int_equal(res.paid, 80000);
	assert_int_equal(res.pending, 0);
	assert_int_equal(fisc_ledger_confirm(l, "k1", &res), FISC_OK);
	assert_int_equal(res.replay, 1);
	assert_int_equal(fisc_ledger_void(l, "k1", &res), FISC_EINVAL);
	fisc_refund rf = {"r1", "k1", 30000, 0, 0};
	assert_int_equal(fisc_ledger_refund(l, &rf, &res), FISC_OK);
	assert_int_equal(res.paid, 50000);
	assert_int_equal(fisc_ledger_refund(l, &rf, &res), FISC_OK);
	assert_int_equal(res.replay, 1);
	assert_int_equal(res.paid, 50000);
	fisc_refund rf2 = {"r2", "k1", 50001, 0, 0};
	assert_int_equal(fisc_ledger_refund(l, &rf2, &res), FISC_ERANGE);
	fisc_payment p3 = {"k3", 2, 100, "乙", "办公", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &p3, &res), FISC_OK);
	assert_int_equal(fisc_ledger_void(l, "k3", &res), FISC_OK);
	assert_int_equal(res.state, FISC_PAY_VOID);
	assert_int_equal(res.pending, 0);
	fisc_refund rf3 = {"r3", "k3", 1, 0, 0};
	assert_int_equal(fisc_ledger_refund(l, &rf3, &res), FISC_EINVAL);
	assert_int_equal(fisc_ledger_confirm(l, "nokey", &res), FISC_ENOTFOUND);
	fisc_ledger_close(l);
	verify_ok(db, 1, 0);

	/* The database refuses what the engine would refuse (defence in depth). */
	/* SQLite keeps a line's figures in ledger_figure (migration 8). The
	** harmless update first: a refusal below is the CHECK, not a typo. */
	const char *fig = tu_pg() ? "ledger_line" : "ledger_figure", *fid = tu_pg() ? "id" : "line_id";
	char q[160];
	snprintf(q, sizeof q, "UPDATE %s SET paid=paid WHERE %s=1", fig, fid);
	sql(db, q, 1);
	snprintf(q, sizeof q, "UPDATE %s SET paid=quota+1 WHERE %s=1", fig, fid);
	sql(db, q, 0);
	snprintf(q, sizeof q, "UPDATE %s SET pending=-1 WHERE %s=2", fig, fid);
	sql(db, q, 0);
	sql(db, "UPDATE ledger_payment SET state=1 WHERE key='k1'", 0);
	sql(db, "DELETE FROM ledger_payment WHERE key='k3'", 0);
	sql(db, "UPDATE journal SET bytes=x'00' WHERE seq=1", 0);
	sql(db, "DELETE FROM journal WHERE seq=2", 0);
	sql(db, "INSERT INTO journal(seq,prev,hash,bytes) VALUES(100,zeroblob(32),zeroblob(32),x'00')", 0);
	sql(db, "INSERT INTO ledger_doc(no,date,kind) VALUES('大高财〔2025〕1号',20250101,1)", 0);
	verify_ok(db, 1, 0);

	/* A refund row edited in the table only is found, and once put back
	** the store verifies again: its amount, and (SQLite) the payment row the
	** execution rollup joins it on. */
	sql(db, "UPDATE ledger_refund SET fen=fen+1 WHERE key='r1'", 1);
	verify_ok(db, 0, 0);
	sql(db, "UPDATE ledger_refund SET fen=fen-1 WHERE key='r1'", 1);
	verify_ok(db, 1, 0);
	if (!tu_pg()) {
		sql(db, "UPDATE ledger_refund SET pay_id=pay_id+1 WHERE key='r1'", 1);
		verify_ok(db, 0, 0);
		sql(db, "UPDATE ledger_refund SET pay_id=pay_id-1 WHERE key='r1'", 1);
		verify_ok(db, 1, 0);
	}

	/* A record of another write (a fact import) from another handle is
	** chained; the engine skips over it and the journal still verifies. */
	fisc_store *st;
	assert_int_equal(fisc_store_open(db, &st), FISC_OK);
	assert_int_equal(fisc_store_begin(st), FISC_OK);
	int64_t seq = 0;
	const char *rec = "file facts.csv sha256 00ff";
	assert_int_equal(fisc_journal_append(st, "import", rec, strlen(rec), &seq), FISC_OK);
	assert_true(seq > 1);
	assert_int_equal(fisc_store_commit(st), FISC_OK);
	fisc_store_close(st);
	verify_ok(db, 1, 0);

	/* A second process (another open) continues from the journal. */
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	assert_int_equal(fisc_ledger_line_get(l, 1, &ln), FISC_OK);
	assert_int_equal(ln.paid, 50000);
	assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_OK);
	assert_int_equal(res.replay, 1);
	fisc_payment p4 = {"k4", 2, 1, "丙", "", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &p4, &res), FISC_OK);
	assert_int_equal(res.seq, seq + 1);
	fisc_ledger_close(l);
	verify_ok(db, 1, 0);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* ---- two writers of the journal --------------------------------------------- */

typedef struct appender {
	const char *db;
	int rc;
	char msg[512];
} appender;

/* Another connection's write with a journal record (an import, the event
** log of a server's pool thread): its own transaction, its own append. */
static void *append_other(void *arg)
{
	appender *a = arg;
	fisc_store *st;
	a->rc = fisc_store_open(a->db, &st);
	if (a->rc != FISC_OK) {
		snprintf(a->msg, sizeof a->msg, "%s", fisc_error_message());
		return NULL;
	}
	a->rc = fisc_store_begin(st);
	if (a->rc == FISC_OK)
		a->rc = fisc_journal_append(st, "import", "second", 6, NULL);
	if (a->rc == FISC_OK)
		a->rc = fisc_store_commit(st);
	if (a->rc != FISC_OK) {
		snprintf(a->msg, sizeof a->msg, "%s", fisc_error_message());
		fisc_store_rollback(st);
	}
	fisc_store_close(st);
	return NULL;
}

/* Two writers append to the journal at once: the second must chain to the
** first's entry once it commits, never to the head it saw before. On
** PostgreSQL (READ COMMITTED) the head was read before the journal lock,
** so the second append was refused as out of sequence whenever the first
** committed in between (a server lost its event log records that way). */
static void test_journal_two_writers(void **state)
{
	(void)state;
	char *dir, *db = tmp_db(&dir);
	fisc_store *st;
	assert_int_equal(fisc_store_open(db, &st), FISC_OK);
	assert_int_equal(fisc_store_begin(st), FISC_OK);
	int64_t seq = 0;
	assert_int_equal(fisc_journal_append(st, "import", "first", 5, &seq), FISC_OK);
	assert_int_equal(seq, 1);
	appender a = {db, -1, ""};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, append_other, &a), 0);
	if (tu_pg()) {
		/* The first commits only once the second waits on the journal
		** lock (a lock not granted), so that the second has gone as far
		** as it can before the first's entry exists. */
		PGconn *c = PQconnectdb(getenv("FISC_TEST_PG"));
		for (int i = 0; i < 3000; i++) {
			PGresult *r = PQexec(c, "SELECT count(*) FROM pg_locks WHERE locktype='advisory'"
						" AND NOT granted");
			int waiting = PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) > 0;
			PQclear(r);
			if (waiting)
				break;
			usleep(10000);
		}
		PQfinish(c);
	}
	assert_int_equal(fisc_store_commit(st), FISC_OK);
	pthread_join(t, NULL);
	if (a.rc != FISC_OK)
		fprintf(stderr, "second append: %s\n", a.msg);
	assert_int_equal(a.rc, FISC_OK);
	int64_t head;
	uint8_t h[FISC_HASH_BYTES];
	assert_int_equal(fisc_journal_head(st, &head, h), FISC_OK);
	assert_int_equal(head, 2);
	fisc_store_close(st);
	verify_ok(db, 1, 0);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* ---- a store failure in the middle of a batch -------------------------------- */

static int64_t head_of(const char *db)
{
	fisc_store *st;
	int64_t seq = -1;
	uint8_t h[FISC_HASH_BYTES];
	assert_int_equal(fisc_store_open(db, &st), FISC_OK);
	assert_int_equal(fisc_journal_head(st, &seq, h), FISC_OK);
	fisc_store_close(st);
	return seq;
}

static int count_pay(void *ud, const fisc_payment *p)
{
	(void)p;
	++*(long *)ud;
	return 0;
}

/* The store refuses a row the engine accepted (here: triggers added by hand
** that refuse three keys, each in its own way: a statement-level abort, a
** rollback of the whole transaction by SQLite itself, a CHECK failing in a
** trigger's own write). Every request of that batch fails with
** FISC_ESTORE, nothing of the batch is applied (lines, payments, journal),
** and the engine, rebuilt from the journal, goes on. The engine's handle
** writes a batch's rows when it commits: the failure comes there, after
** every request was decided. */
static void test_batch_store_failure(void **state)
{
	(void)state;
	char *dir, *db = tmp_db(&dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	fisc_quota_leg legs[2] = {{line_id("甲", "30101"), 100000}, {line_id("乙", "30201"), 100000}};
	assert_int_equal(doc1(l, "批复", FISC_DOC_APPROVE, 2, legs, &res), FISC_OK);
	fisc_payment first = {"ok0", 1, 5000, "收款人", "用途", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &first, &res), FISC_OK);
	fisc_ledger_close(l);
	if (tu_pg())
		sql(db,
		    "CREATE FUNCTION fisc_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
		    " $$BEGIN IF NEW.key LIKE 'bad-%' THEN RAISE EXCEPTION 'refused %', NEW.key; END IF;"
		    " RETURN NEW; END$$;"
		    "CREATE TRIGGER fisc_test_refuse BEFORE INSERT ON ledger_payment"
		    " FOR EACH ROW EXECUTE FUNCTION fisc_test_refuse();",
		    1);
	else
		sql(db,
		    "CREATE TRIGGER t_abort BEFORE INSERT ON ledger_payment WHEN NEW.key = 'bad-abort'"
		    "  BEGIN SELECT RAISE(ABORT, 'refused'); END;"
		    "CREATE TRIGGER t_rollback BEFORE INSERT ON ledger_payment WHEN NEW.key = 'bad-rollback'"
		    "  BEGIN SELECT RAISE(ROLLBACK, 'refused'); END;"
		    "CREATE TRIGGER t_check AFTER INSERT ON ledger_payment WHEN NEW.key = 'bad-check'"
		    "  BEGIN INSERT INTO ledger_doc(no, date, kind) VALUES('x', 1, 99); END;",
		    1);
	int64_t head = head_of(db);
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	static const char *const bad[] = {"bad-abort", "bad-rollback", "bad-check"};
	for (int b = 0; b < 3; b++) {
		/* One submit: the requests reach the writer together, one batch. */
		fisc_ledger_op ops[4];
		memset(ops, 0, sizeof ops);
		ops[0].kind = ops[1].kind = ops[3].kind = 'P';
		ops[0].pay = (fisc_payment){"good-a", 1, 100, "收款人", "用途", 0, 0, 0, 0};
		ops[1].pay = (fisc_payment){bad[b], 2, 200, "收款人", "用途", 0, 0, 0, 0};
		ops[2].kind = 'C';
		ops[2].pay.key = "ok0";
		ops[3].pay = (fisc_payment){"good-b", 1, 300, "收款人", "用途", 0, 0, 0, 0};
		assert_int_equal(fisc_ledger_submit(l, ops, 4), FISC_OK);
		for (int i = 0; i < 4; i++) {
			if (ops[i].rc != FISC_ESTORE)
				fprintf(stderr, "%s, op %d: rc %d %s\n", bad[b], i, ops[i].rc, ops[i].msg);
			assert_int_equal(ops[i].rc, FISC_ESTORE);
		}
		fisc_quota_line ln;
		assert_int_equal(fisc_ledger_line_get(l, 1, &ln), FISC_OK);
		assert_int_equal(ln.pending, 5000);
		assert_int_equal(ln.paid, 0);
		assert_int_equal(fisc_ledger_line_get(l, 2, &ln), FISC_OK);
		assert_int_equal(ln.pending, 0);
		fisc_payment p;
		assert_int_equal(fisc_ledger_payment_get(l, "good-a", &p), FISC_ENOTFOUND);
		assert_int_equal(fisc_ledger_payment_get(l, "ok0", &p), FISC_OK);
		assert_int_equal(p.state, FISC_PAY_PENDING);
		assert_int_equal(head_of(db), head);
	}
	/* The store holds what it held before the three batches. */
	fisc_store *st;
	long n = 0;
	assert_int_equal(fisc_store_open(db, &st), FISC_OK);
	assert_int_equal(fisc_store_payment_each(st, count_pay, &n), FISC_OK);
	fisc_store_close(st);
	assert_int_equal(n, 1);
	/* The same requests without the refused one are applied, chained on. */
	fisc_payment again = {"good-a", 1, 100, "收款人", "用途", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &again, &res), FISC_OK);
	assert_int_equal(res.replay, 0);
	assert_int_equal(res.seq, head + 1);
	assert_int_equal(res.pending, 5100);
	assert_int_equal(fisc_ledger_confirm(l, "ok0", &res), FISC_OK);
	assert_int_equal(res.paid, 5000);
	fisc_ledger_close(l);
	verify_ok(db, 1, 0);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* ---- year end ---------------------------------------------------------------- */

static void test_close(void **state)
{
	(void)state;
	char *dir, *db = tmp_db(&dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	fisc_quota_line basic = line_id("甲", "30101"), project = line_id("甲", "30201"),
			carried = line_id("甲", "30202");
	project.project = "校舍维修";
	project.kind = FISC_EXP_PROJECT;
	carried.project = "旧项目";
	carried.kind = FISC_EXP_PROJECT;
	carried.fund = FISC_FUND_CARRY;
	fisc_quota_leg legs[3] = {{basic, 100000}, {project, 500000}, {carried, 20000}};
	assert_int_equal(doc1(l, "批复", FISC_DOC_APPROVE, 2, legs, &res), FISC_OK);
	assert_int_equal(doc1(l, "结转入", FISC_DOC_CARRY, 1, legs + 2, &res), FISC_OK);
	fisc_payment p1 = {"a", 1, 30000, "", "", 0, 0, 0, 0}, p2 = {"b", 2, 100000, "", "", 0, 0, 0, 0},
		     p3 = {"c", 2, 50000, "", "", 0, 0, 0, 0};
	assert_int_equal(fisc_ledger_request(l, &p1, &res), FISC_OK);
	assert_int_equal(fisc_ledger_confirm(l, "a", &res), FISC_OK);
	assert_int_equal(fisc_ledger_request(l, &p2, &res), FISC_OK);
	assert_int_equal(fisc_ledger_confirm(l, "b", &res), FISC_OK);
	assert_int_equal(fisc_ledger_request(l, &p3, &res), FISC_OK); /* still 在途 */

	fisc_quota_close_stats s;
	assert_int_equal(fisc_quota_close(l, NULL, 2025, 0, &s), FISC_OK);
	assert_int_equal(s.documents, 2);
	assert_int_equal(s.reclaimed_lines, 2); /* 基本支出, and the line carried once already */
	assert_int_equal(s.reclaimed, 70000 + 20000);
	assert_int_equal(s.carried_lines, 1);
	assert_int_equal(s.carried, 350000);
	fisc_quota_line ln;
	for (int64_t id = 1; id <= 3; id++) {
		assert_int_equal(fisc_ledger_line_get(l, id, &ln), FISC_OK);
		assert_int_equal(ln.quota, ln.paid + ln.pending); /* nothing 可用 is left */
	}
	assert_int_equal(fisc_ledger_line_count(l), 4);
	assert_int_equal(fisc_ledger_line_get(l, 4, &ln), FISC_OK);
	assert_int_equal(ln.year, 2026);
	assert_int_equal(ln.fund, FISC_FUND_CARRY);
	assert_string_equal(ln.project, "校舍维修");
	assert_int_equal(ln.quota, 350000);
	assert_true(fisc_ledger_doc_exists(l, "210200-GX-2025-结转"));
	assert_true(fisc_ledger_doc_exists(l, "210200-GX-2025-结余收回"));
	/* Nothing left to close; a void gives quota back, and a second close
	** takes it with the next document number. */
	assert_int_equal(fisc_quota_close(l, NULL, 2025, 0, &s), FISC_OK);
	assert_int_equal(s.documents, 0);
	assert_int_equal(fisc_ledger_void(l, "c", &res), FISC_OK);
	assert_int_equal(fisc_quota_close(l, NULL, 2025, 0, &s), FISC_OK);
	assert_int_equal(s.carried, 50000);
	assert_true(fisc_ledger_doc_exists(l, "210200-GX-2025-结转-2"));
	assert_int_equal(fisc_ledger_line_get(l, 4, &ln), FISC_OK);
	assert_int_equal(ln.quota, 400000);
	/* A year later the carried line is taken back, not carried again. */
	assert_int_equal(fisc_quota_close(l, NULL, 2026, 0, &s), FISC_OK);
	assert_int_equal(s.carried_lines, 0);
	assert_int_equal(s.reclaimed, 400000);
	/* A 结转 that moves quota must net to zero. */
	fisc_quota_line next = basic;
	next.year = 2026;
	next.fund = FISC_FUND_CARRY;
	fisc_quota_leg bad[2] = {{project, -1}, {next, 2}};
	assert_int_equal(doc1(l, "结转坏", FISC_DOC_CARRY, 2, bad, &res), FISC_EINVAL);
	fisc_ledger_close(l);
	verify_ok(db, 1, 0);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* ---- tampering ------------------------------------------------------------- */

static char *tamper_fixture(char **dir)
{
	char *db = tmp_db(dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	fisc_quota_leg legs[2] = {{line_id("甲", "30101"), 100000}, {line_id("乙", "30201"), 100000}};
	assert_int_equal(doc1(l, "批复", FISC_DOC_APPROVE, 2, legs, &res), FISC_OK);
	for (int i = 0; i < 6; i++) {
		char key[16];
		snprintf(key, sizeof key, "p%d", i);
		fisc_payment p = {key, 1 + i % 2, 1000 + i, "收款人", "用途", 0, 0, 0, 0};
		assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_OK);
		assert_int_equal(fisc_ledger_confirm(l, key, &res), FISC_OK);
	}
	fisc_ledger_close(l);
	verify_ok(db, 1, 0); /* 13 entries */
	return db;
}

static void unlock_journal(const char *db)
{
	if (tu_pg()) {
		sql(db, "DROP TRIGGER journal_append_only ON journal; DROP TRIGGER journal_chained ON journal;"
			" DROP TRIGGER ledger_payment_forward ON ledger_payment;", 1);
		return;
	}
	sql(db, "DROP TRIGGER journal_append_only_u; DROP TRIGGER journal_append_only_d;"
		"DROP TRIGGER journal_chained; DROP TRIGGER ledger_payment_forward;", 1);
}

static void test_journal_tamper(void **state)
{
	(void)state;
	char *dir, *db;
	struct {
		const char *sql;
		int64_t seq; /* first entry reported; 0: a table, not the chain */
	} cases[] = {
		/* edit an entry's bytes (amount 1002 → 9002) */
		{"UPDATE journal SET bytes=CAST(replace(CAST(bytes AS TEXT),'4:1002,','4:9002,') AS BLOB) WHERE seq=6", 6},
		/* edit, and recompute nothing else: the hash column too */
		{"UPDATE journal SET hash=zeroblob(32) WHERE seq=4", 4},
		/* delete an entry in the middle */
		{"DELETE FROM journal WHERE seq=5", 6},
		/* delete the last entry: the chain is fine, the tables are not */
		{"DELETE FROM journal WHERE seq=13", 0},
		/* reorder two entries (swap their contents) */
		{"UPDATE journal SET seq=-1 WHERE seq=3; UPDATE journal SET seq=3 WHERE seq=2;"
		 "UPDATE journal SET seq=2 WHERE seq=-1", 2},
		/* insert an entry (with the right previous hash) */
		{"UPDATE journal SET seq=seq+100 WHERE seq>=8; UPDATE journal SET seq=seq-99 WHERE seq>=108;"
		 "INSERT INTO journal SELECT 8, hash, hash, bytes FROM journal WHERE seq=7", 8},
		/* a balance edited in the table only */
		{tu_pg() ? "UPDATE ledger_line SET paid=paid-1 WHERE id=2"
			 : "UPDATE ledger_figure SET paid=paid-1 WHERE line_id=2", 0},
		/* a payment row copied under the same key (SQLite has no index on
		** the key since migration 8; PostgreSQL's unique key refuses it,
		** so there the copy gets a new key and is a payment not in the
		** journal) */
		{tu_pg() ? "INSERT INTO ledger_payment(key,line_id,fen,payee,purpose,state,refunded,paid_on)"
			   " SELECT key||'x',line_id,fen,payee,purpose,state,refunded,paid_on FROM ledger_payment WHERE key='p2'"
			 : "INSERT INTO ledger_payment(key,line_id,fen,payee,purpose,state,refunded,paid_on)"
			   " SELECT key,line_id,fen,payee,purpose,state,refunded,paid_on FROM ledger_payment WHERE key='p2'", 0},
		/* two payments' rows swapped (each row still itself) */
		{tu_pg() ? "UPDATE ledger_payment SET id=-id WHERE id IN (SELECT id FROM ledger_payment ORDER BY id LIMIT 2)"
			 : "UPDATE ledger_payment SET id=-id WHERE id IN (1,2) AND NOT EXISTS (SELECT 1 FROM ledger_refund WHERE pay_id IN (1,2))", 0},
		/* a payment's state changed in the table only */
		{"UPDATE ledger_payment SET state=3, paid_on=0 WHERE key='p2'", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		db = tamper_fixture(&dir);
		unlock_journal(db);
		sql(db, cases[i].sql, 1);
		verify_ok(db, 0, cases[i].seq);
		tu_rmrf(dir);
		free(dir);
		free(db);
	}
}

/* A journal longer than one block of verify's reader (4096 entries): a
** break in a later block, or on a block's edge, is still the first one
** reported, and a good journal of many blocks verifies. */
/* The store file at uri (closed: its WAL checkpointed into it) copied to
** a new store in a new directory. */
static char *copy_store(const char *uri, char **dir)
{
	char *to = tmp_db(dir);
	char src[4096], dst[4096];
	snprintf(src, sizeof src, "%s", strncmp(uri, "sqlite:", 7) ? uri : uri + 7);
	snprintf(dst, sizeof dst, "%s", strncmp(to, "sqlite:", 7) ? to : to + 7);
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	return to;
}

static void test_journal_tamper_blocks(void **state)
{
	(void)state;
	if (tu_pg())
		return; /* the block boundaries are the same code for every store */
	enum { N = 9000 };
	struct {
		const char *sql;
		int64_t seq;
	} cases[] = {
		{"UPDATE journal SET bytes=CAST(replace(CAST(bytes AS TEXT),'收款人','收款入') AS BLOB) WHERE seq=4097", 4097},
		{"UPDATE journal SET hash=zeroblob(32) WHERE seq=4096", 4096},
		{"DELETE FROM journal WHERE seq=8192", 8193},
		{"UPDATE journal SET bytes=CAST(replace(CAST(bytes AS TEXT),'收款人','收款入') AS BLOB) WHERE seq=8999", 8999},
		{"UPDATE ledger_payment SET state=3 WHERE key='q8990'", 0},
	};
	char *dir, *db = tmp_db(&dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	fisc_quota_leg legs[1] = {{line_id("甲", "30101"), 100000000}};
	assert_int_equal(doc1(l, "批复", FISC_DOC_APPROVE, 1, legs, &res), FISC_OK);
	fisc_ledger_op *ops = calloc(N, sizeof *ops);
	char (*keys)[16] = calloc(N, sizeof *keys);
	assert_non_null(ops);
	assert_non_null(keys);
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "q%d", i);
		ops[i].kind = 'P';
		ops[i].pay = (fisc_payment){keys[i], 1, 1 + i % 7, "收款人", "用途", 0, 0, 0, 0};
	}
	assert_int_equal(fisc_ledger_submit(l, ops, N), FISC_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(ops[i].rc, FISC_OK);
	fisc_ledger_close(l);
	free(ops);
	free(keys);
	verify_ok(db, 1, 0);
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		char *cdir, *cdb = copy_store(db, &cdir);
		unlock_journal(cdb);
		sql(cdb, cases[c].sql, 1);
		verify_ok(cdb, 0, cases[c].seq);
		tu_rmrf(cdir);
		free(cdir);
		free(cdb);
	}
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* The chain's SHA-256 is the same function whoever computes it (OpenSSL,
** libsodium before): journals written by an earlier fisc still verify. The
** expected digests are Python's hashlib's; computed again on a second
** thread, which has its own hashing context. */
static const char *const known_hex[] = {
	"cdb28a52c40a4b8cf993c85551e5f90e87335ea37b7c32266988052ee3db56aa",
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	"41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3",
};

static void *known_hashes(void *arg)
{
	char (*hex)[2 * FISC_HASH_BYTES + 1] = arg;
	uint8_t h[FISC_HASH_BYTES], zero[FISC_HASH_BYTES] = {0};
	static const char entry[] = "1:1,1:P,2:p1,1:1,4:1002,";
	char a1000[1000];
	memset(a1000, 'a', sizeof a1000);
	fisc_journal_hash(zero, entry, sizeof entry - 1, h);
	fisc_journal_hex(h, hex[0]);
	fisc_sha256("abc", 3, h);
	fisc_journal_hex(h, hex[1]);
	fisc_sha256(a1000, sizeof a1000, h);
	fisc_journal_hex(h, hex[2]);
	return NULL;
}

static void test_journal_hash(void **state)
{
	(void)state;
	char here[3][2 * FISC_HASH_BYTES + 1], there[3][2 * FISC_HASH_BYTES + 1];
	known_hashes(here);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, known_hashes, there), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(here[i], known_hex[i]);
		assert_string_equal(there[i], known_hex[i]);
	}
}

/* ---- model-based test ------------------------------------------------------- */

enum { NLINES = 12, MAXTHREADS = 32 };

typedef struct mpay {
	char key[32];
	int64_t line, fen, refunded;
	int state;
} mpay;

/* The reference model: plain arrays, a linear key table. */
typedef struct model {
	int64_t quota[NLINES + 1], paid[NLINES + 1], pending[NLINES + 1];
	mpay *pays;
	size_t npays, cap;
	fisc_strmap index; /* key → index + 1 */
	fisc_strmap refunds, docs;
	fisc_arena *a;
	long failures, batches, ops;
	char first[512];
	pthread_mutex_t mu;
} model;

static model M;

static void mfail(const char *fmt, ...)
{
	if (!M.failures++) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(M.first, sizeof M.first, fmt, ap);
		va_end(ap);
	}
}

static mpay *mget(const char *key)
{
	uintptr_t i = (uintptr_t)fisc_strmap_get(&M.index, key);
	return i ? &M.pays[i - 1] : NULL;
}

/* Expected outcome: 0 refused, 1 applied, 2 replay. */
static int model_event(const fisc_ledger_event *e)
{
	mpay *p;
	switch (e->kind) {
	case 'P': {
		const fisc_payment *q = e->payment;
		if ((p = mget(q->key)))
			return p->line == q->line && p->fen == q->fen ? 2 : 0;
		if (q->line < 1 || q->line > NLINES || q->fen <= 0 ||
		    q->fen > M.quota[q->line] - M.paid[q->line] - M.pending[q->line])
			return 0;
		if (M.npays == M.cap) {
			M.cap = M.cap ? 2 * M.cap : 1024;
			M.pays = realloc(M.pays, M.cap * sizeof *M.pays);
		}
		p = &M.pays[M.npays++];
		snprintf(p->key, sizeof p->key, "%s", q->key);
		p->line = q->line;
		p->fen = q->fen;
		p->refunded = 0;
		p->state = FISC_PAY_PENDING;
		fisc_strmap_put(&M.index, fisc_arena_strdup(M.a, q->key), (void *)(uintptr_t)M.npays);
		M.pending[q->line] += q->fen;
		return 1;
	}
	case 'C':
	case 'V': {
		int target = e->kind == 'C' ? FISC_PAY_PAID : FISC_PAY_VOID;
		if (!(p = mget(e->payment->key)))
			return 0;
		if (p->state == target)
			return 2;
		if (p->state != FISC_PAY_PENDING)
			return 0;
		M.pending[p->line] -= p->fen;
		if (target == FISC_PAY_PAID)
			M.paid[p->line] += p->fen;
		p->state = target;
		return 1;
	}
	case 'R': {
		const fisc_refund *r = e->refund;
		if (fisc_strmap_get(&M.refunds, r->key))
			return 2; /* the test reuses a refund key only with the same content */
		if (!(p = mget(r->pay_key)) || p->state != FISC_PAY_PAID || r->fen <= 0 ||
		    r->fen > p->fen - p->refunded)
			return 0;
		p->refunded += r->fen;
		M.paid[p->line] -= r->fen;
		fisc_strmap_put(&M.refunds, fisc_arena_strdup(M.a, r->key), (void *)1);
		return 1;
	}
	case 'D': {
		const fisc_quota_doc *d = e->docs;
		if (e->ndocs != 1)
			return -1;
		if (fisc_strmap_get(&M.docs, d->no))
			return 2;
		int64_t delta[NLINES + 1] = {0}, sum = 0;
		for (size_t i = 0; i < d->nlegs; i++) {
			int64_t ln = atoi(d->legs[i].line.econ) - 30100; /* the test's line ids */
			int64_t f = d->legs[i].fen;
			if (f == 0 || (d->kind == FISC_DOC_ADD && f < 0) || (d->kind == FISC_DOC_CUT && f > 0))
				return 0;
			delta[ln] += f;
			sum += f;
		}
		if (d->kind == FISC_DOC_SHIFT && (sum != 0 || d->nlegs < 2))
			return 0;
		for (int i = 1; i <= NLINES; i++)
			if (M.quota[i] + delta[i] < M.paid[i] + M.pending[i])
				return 0;
		for (int i = 1; i <= NLINES; i++)
			M.quota[i] += delta[i];
		fisc_strmap_put(&M.docs, fisc_arena_strdup(M.a, d->no), (void *)1);
		return 1;
	}
	}
	return -1;
}

static void on_batch(void *ud, fisc_ledger *l, const fisc_ledger_event *ev, size_t n)
{
	(void)ud;
	pthread_mutex_lock(&M.mu);
	M.batches++;
	for (size_t i = 0; i < n; i++) {
		M.ops++;
		int want = model_event(&ev[i]);
		int got = ev[i].rc != FISC_OK ? 0 : ev[i].res->replay ? 2 : 1;
		if (want != got)
			mfail("op %ld kind %c: model says %d, engine %d (rc %d)", M.ops, ev[i].kind, want,
			     got, ev[i].rc);
	}
	for (int i = 1; i <= NLINES; i++) {
		fisc_quota_line ln;
		if (M.paid[i] < 0 || M.pending[i] < 0 || M.paid[i] + M.pending[i] > M.quota[i])
			mfail("model invariant broken on line %d", i);
		if (fisc_ledger_line_get(l, i, &ln) != FISC_OK || ln.quota != M.quota[i] ||
		    ln.paid != M.paid[i] || ln.pending != M.pending[i] ||
		    ln.paid + ln.pending > ln.quota || ln.paid < 0 || ln.pending < 0)
			mfail("batch %ld: line %d differs from the model", M.batches, i);
	}
	pthread_mutex_unlock(&M.mu);
}

typedef struct worker {
	fisc_ledger *l;
	int id;
	long ops;
	unsigned seed;
} worker;

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

static void *work(void *arg)
{
	worker *w = arg;
	char (*keys)[32] = malloc(64 * sizeof *keys);
	int nkeys = 0;
	fisc_ledger_result res;
	char econ[3][8];
	for (long i = 0; i < w->ops; i++) {
		unsigned r = rnd(&w->seed) % 100;
		char key[32];
		if (r < 45 || nkeys == 0) {
			snprintf(key, sizeof key, "t%d-%ld", w->id, i);
			fisc_payment p = {key, 1 + rnd(&w->seed) % NLINES, 1 + rnd(&w->seed) % 5000,
					  "收款人", "用途", 0, 0, 0, 0};
			fisc_ledger_request(w->l, &p, &res);
			if (rnd(&w->seed) % 10 == 0)
				fisc_ledger_request(w->l, &p, &res); /* a retry: a replay */
			if (rnd(&w->seed) % 20 == 0) {
				p.fen++; /* same key, other content: refused */
				fisc_ledger_request(w->l, &p, &res);
			}
			memcpy(keys[nkeys++ % 64], key, sizeof key);
		} else if (r < 70) {
			fisc_ledger_confirm(w->l, keys[rnd(&w->seed) % (nkeys < 64 ? nkeys : 64)], &res);
		} else if (r < 80) {
			fisc_ledger_void(w->l, keys[rnd(&w->seed) % (nkeys < 64 ? nkeys : 64)], &res);
		} else if (r < 90) {
			snprintf(key, sizeof key, "t%d-r%ld", w->id, i);
			fisc_refund rf = {key, keys[rnd(&w->seed) % (nkeys < 64 ? nkeys : 64)],
					  1 + rnd(&w->seed) % 3000, 0, 0};
			fisc_ledger_refund(w->l, &rf, &res);
		} else {
			snprintf(key, sizeof key, "t%d-d%ld", w->id, i);
			int kind = r < 93 ? FISC_DOC_ADD : r < 96 ? FISC_DOC_CUT : FISC_DOC_SHIFT;
			int n = kind == FISC_DOC_SHIFT ? 2 : 1;
			fisc_quota_leg legs[2];
			for (int k = 0; k < n; k++) {
				snprintf(econ[k], sizeof econ[k], "%d", 30101 + (int)(rnd(&w->seed) % NLINES));
				legs[k].line = line_id("部门", econ[k]);
				legs[k].fen = 1 + rnd(&w->seed) % 20000;
			}
			if (kind == FISC_DOC_CUT)
				legs[0].fen = -legs[0].fen;
			if (kind == FISC_DOC_SHIFT)
				legs[1].fen = -legs[0].fen;
			doc1(w->l, key, kind, n, legs, &res);
		}
	}
	free(keys);
	return NULL;
}

static void test_model(void **state)
{
	(void)state;
	const char *torture = getenv("FISC_TORTURE");
	int big = torture && *torture && strcmp(torture, "0");
	long total = big ? 1000000 : 12000;
	int nthreads = big ? MAXTHREADS : 8; /* more submitters, larger batches */
	char *dir, *db = tmp_db(&dir);
	fisc_ledger *l;
	memset(&M, 0, sizeof M);
	M.a = fisc_arena_new();
	pthread_mutex_init(&M.mu, NULL);
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	fisc_ledger_on_batch(l, on_batch, NULL);
	char econ[NLINES][8];
	fisc_quota_leg legs[NLINES];
	for (int i = 0; i < NLINES; i++) {
		snprintf(econ[i], sizeof econ[i], "%d", 30101 + i);
		legs[i].line = line_id("部门", econ[i]);
		legs[i].fen = 200000 + 10000 * i;
	}
	fisc_ledger_result res;
	assert_int_equal(doc1(l, "年初批复", FISC_DOC_APPROVE, NLINES, legs, &res), FISC_OK);
	pthread_t th[MAXTHREADS];
	worker w[MAXTHREADS];
	for (int t = 0; t < nthreads; t++) {
		w[t] = (worker){l, t, total / nthreads, 7919u * (unsigned)(t + 1)};
		pthread_create(&th[t], NULL, work, &w[t]);
	}
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	fisc_ledger_close(l);
	if (M.failures)
		fprintf(stderr, "model: %ld failure(s); first: %s\n", M.failures, M.first);
	assert_int_equal(M.failures, 0);
	assert_true(M.ops >= total);
	fprintf(stderr, "model: %ld operations in %ld batches\n", M.ops, M.batches);
	verify_ok(db, 1, 0);
	/* A fresh engine, rebuilt from the journal alone, agrees with the model. */
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	for (int i = 1; i <= NLINES; i++) {
		fisc_quota_line ln;
		assert_int_equal(fisc_ledger_line_get(l, i, &ln), FISC_OK);
		assert_int_equal(ln.quota, M.quota[i]);
		assert_int_equal(ln.paid, M.paid[i]);
		assert_int_equal(ln.pending, M.pending[i]);
	}
	fisc_ledger_close(l);
	fisc_strmap_free(&M.index);
	fisc_strmap_free(&M.refunds);
	fisc_strmap_free(&M.docs);
	fisc_arena_free(M.a);
	free(M.pays);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

/* ---- kill -9 ----------------------------------------------------------------- */

typedef struct crasher {
	fisc_ledger *l;
	int round, id, fd;
} crasher;

static void *crash_work(void *arg)
{
	crasher *c = arg;
	unsigned seed = (unsigned)(c->round * 100 + c->id);
	for (long i = 0;; i++) {
		char key[48], line[128];
		snprintf(key, sizeof key, "c%d-%d-%ld", c->round, c->id, i);
		fisc_payment p = {key, 1 + rnd(&seed) % NLINES, 1 + rnd(&seed) % 100, "收款人", "用途",
				  0, 0, 0, 0};
		fisc_ledger_result res;
		if (fisc_ledger_request(c->l, &p, &res) != FISC_OK)
			continue;
		int confirm = rnd(&seed) % 2;
		if (confirm && fisc_ledger_confirm(c->l, key, &res) != FISC_OK)
			confirm = 0;
		/* Logged only after the acknowledgement. */
		int n = snprintf(line, sizeof line, "%s %lld %lld %d\n", key, (long long)p.line,
				 (long long)p.fen, confirm ? FISC_PAY_PAID : FISC_PAY_PENDING);
		if (write(c->fd, line, (size_t)n) != n)
			_exit(3);
	}
	return NULL;
}

typedef struct acked {
	char key[48];
	long long line, fen;
	int state;
} acked;

static int find_pay(void *ud, const fisc_payment *p)
{
	acked *a = ud;
	if (strcmp(p->key, a->key))
		return 0;
	if (p->line != a->line || p->fen != a->fen || (a->state == FISC_PAY_PAID && p->state != FISC_PAY_PAID))
		return 2;
	return 1;
}

static void test_crash(void **state)
{
	(void)state;
	char *dir, *db = tmp_db(&dir);
	char log[512];
	snprintf(log, sizeof log, "%s/acks", dir);
	fisc_ledger *l;
	fisc_ledger_result res;
	assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
	char econ[NLINES][8];
	fisc_quota_leg legs[NLINES];
	for (int i = 0; i < NLINES; i++) {
		snprintf(econ[i], sizeof econ[i], "%d", 30101 + i);
		legs[i].line = line_id("部门", econ[i]);
		legs[i].fen = 1000000000;
	}
	assert_int_equal(doc1(l, "年初批复", FISC_DOC_APPROVE, NLINES, legs, &res), FISC_OK);
	fisc_ledger_close(l);
	srand((unsigned)time(NULL));
	long total_acked = 0;
	for (int round = 0; round < 6; round++) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		assert_true(fd >= 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			fisc_ledger *cl;
			if (fisc_ledger_open(db, &cl) != FISC_OK)
				_exit(2);
			pthread_t th[8];
			crasher c[8];
			for (int t = 0; t < 8; t++) {
				c[t] = (crasher){cl, round, t, fd};
				pthread_create(&th[t], NULL, crash_work, &c[t]);
			}
			for (;;)
				pause();
		}
		struct timespec ts = {0, (150 + rand() % 600) * 1000000L};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status));
		close(fd);

		/* After the kill: the journal verifies (chain, balances, invariant —
		** the replay refuses any entry that would break it)… */
		verify_ok(db, 1, 0);
		/* …every acknowledged request is there, exactly as acknowledged… */
		FILE *f = fopen(log, "r");
		assert_non_null(f);
		fisc_store *st;
		assert_int_equal(fisc_store_open(db, &st), FISC_OK);
		acked a;
		long n = 0;
		acked *all = NULL;
		while (fscanf(f, "%47s %lld %lld %d", a.key, &a.line, &a.fen, &a.state) == 4) {
			assert_int_equal(fisc_store_payment_each(st, find_pay, &a), 1);
			all = realloc(all, (size_t)(n + 1) * sizeof *all);
			all[n++] = a;
		}
		fclose(f);
		fisc_store_close(st);
		/* …and submitting them again applies none twice. */
		assert_int_equal(fisc_ledger_open(db, &l), FISC_OK);
		for (long i = 0; i < n; i++) {
			fisc_payment p = {all[i].key, all[i].line, all[i].fen, "收款人", "用途", 0, 0, 0, 0};
			assert_int_equal(fisc_ledger_request(l, &p, &res), FISC_OK);
			assert_int_equal(res.replay, 1);
		}
		fisc_ledger_close(l);
		free(all);
		total_acked += n;
	}
	fprintf(stderr, "crash: %ld acknowledged requests over 6 kills\n", total_acked);
	assert_true(total_acked > 0);
	tu_rmrf(dir);
	free(dir);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_and_payments),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_journal_two_writers),
		cmocka_unit_test(test_batch_store_failure),
		cmocka_unit_test(test_journal_tamper),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_journal_tamper_blocks),
		cmocka_unit_test(test_journal_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
