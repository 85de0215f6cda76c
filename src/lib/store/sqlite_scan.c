/*
** sqlite_scan.c — the rule engine's read of every fact (fisc_store_fact_scan)
** from the SQLite store: the facts of a query in id order, their texts as
** string ids (numbered by fisc_scan_string in store.c).
**
** Why it is not a loop over sqlite3_column_*: a national store has a million
** facts of 17 columns, and each of those library calls (API entry and exit,
** the connection's mutex hooks, the value's conversion) costs a good part of
** what SQLite spends decoding the column — 1 G of the 6.6 G instructions of a
** national `fisc check`. So when the whole table is read, the query hands
** each row to a function of ours that SQLite calls with the row's values
** (`SELECT fisc_scan_row(id, region_id, …) FROM fact`), read from its
** arguments.
**
** That only works when SQLite produces the rows in id order itself: it calls
** the function as it reads the table, before any sorting. A scan of the whole
** table (in rowid order) does; a selection that the (region, …) index serves
** comes in index order and is sorted afterwards. So a selection is read with
** the column calls — it is small — and the order is checked either way.
*/
#include <string.h>
#include "fisc/error.h"
#include "store/sqlite_scan.h"

/* The columns, in the order of the row function's arguments. */
#define SCAN_COLS                                                                         \
	"id,region_id,year,book,phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit," \
	"decimals,source"
enum { C_ID, C_REGION, C_YEAR, C_BOOK, C_PHASE, C_SCOPE, C_ITEM, C_KIND, C_DEPT, C_PROJECT,
       C_ECON, C_FUND, C_FEN, C_ULP, C_UNIT, C_DECIMALS, C_SOURCE, NCOLS };

typedef struct scan {
	fisc_scan_strings strs;
	fisc_fact_ids_cb cb;
	void *ud;
	int rc;          /* the first error, or a callback's nonzero return */
	int64_t last_id; /* ids must increase */
} scan;

static uint32_t text_id(scan *s, sqlite3_value *v)
{
	const char *t = (const char *)sqlite3_value_text(v);
	uint32_t id = 0;
	if (t && *t && s->rc == FISC_OK) /* most detail fields are empty */
		s->rc = fisc_scan_string(&s->strs, t, strlen(t), &id);
	return id;
}

/* One row: its texts numbered, then the caller's callback. */
static void scan_values(scan *s, sqlite3_value **v)
{
	fisc_fact_ids f;
	f.item = text_id(s, v[C_ITEM]);
	f.dept = text_id(s, v[C_DEPT]);
	f.project = text_id(s, v[C_PROJECT]);
	f.econ = text_id(s, v[C_ECON]);
	f.fund = text_id(s, v[C_FUND]);
	f.source = text_id(s, v[C_SOURCE]);
	f.id = sqlite3_value_int64(v[C_ID]);
	f.region = sqlite3_value_int64(v[C_REGION]);
	f.year = sqlite3_value_int(v[C_YEAR]);
	f.book = (uint8_t)sqlite3_value_int(v[C_BOOK]);
	f.phase = (uint8_t)sqlite3_value_int(v[C_PHASE]);
	f.scope = (uint8_t)sqlite3_value_int(v[C_SCOPE]);
	f.kind = (uint8_t)sqlite3_value_int(v[C_KIND]);
	f.has_amount = sqlite3_value_type(v[C_FEN]) != SQLITE_NULL;
	f.amount.fen = sqlite3_value_int64(v[C_FEN]);
	f.amount.ulp = sqlite3_value_int64(v[C_ULP]);
	f.amount.unit = (int8_t)sqlite3_value_int(v[C_UNIT]);
	f.amount.decimals = (int8_t)sqlite3_value_int(v[C_DECIMALS]);
	if (s->rc != FISC_OK)
		return;
	if (f.id <= s->last_id) {
		s->rc = fisc_error_set(FISC_ESTORE, "事实未按编号读出 / facts not read in id order");
		return;
	}
	s->last_id = f.id;
	s->rc = s->cb(s->ud, &f);
}

/* The row function: SQLite calls it for each fact of the whole-table scan. */
static void scan_row(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	scan *s = sqlite3_user_data(cx);
	(void)argc;
	scan_values(s, argv);
	if (s->rc != FISC_OK)
		sqlite3_result_error(cx, "fisc: scan stopped", -1); /* ends the query */
}

static int whole_table(const fisc_query *q)
{
	return !q || (!q->region && !q->year && !q->scope && !q->book_set && !q->phase && !q->dept &&
		      !q->as_of_doc && !q->as_of_date);
}

int fisc_sqlite_fact_scan(fisc_store *st, const fisc_query *q, fisc_string_cb str,
			  fisc_fact_ids_cb cb, void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *stmt = NULL;
	scan s;
	int whole = whole_table(q), step, rc;
	if (fisc_scan_strings_init(&s.strs, str, ud) != FISC_OK)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s.cb = cb;
	s.ud = ud;
	s.rc = FISC_OK;
	s.last_id = INT64_MIN;
	if (whole && sqlite3_create_function(db, "fisc_scan_row", NCOLS, SQLITE_UTF8, &s, scan_row,
					     NULL, NULL) != SQLITE_OK) {
		rc = fisc_sqlite_error(db, "fact scan");
		goto done;
	}
	rc = fisc_sqlite_fact_select(st, q, whole ? "fisc_scan_row(" SCAN_COLS ")" : SCAN_COLS,
				     &stmt);
	if (rc != FISC_OK)
		goto done;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (whole)
			continue; /* scan_row has had the row as SQLite produced it */
		/* The connection is used by one thread at a time (fisc_sqlite_open),
		** so the row's unprotected values may be read directly. */
		sqlite3_value *v[NCOLS];
		for (int i = 0; i < NCOLS; i++)
			v[i] = sqlite3_column_value(stmt, i);
		scan_values(&s, v);
		if (s.rc != FISC_OK)
			break;
	}
	if (s.rc != FISC_OK)
		rc = s.rc;
	else if (step != SQLITE_DONE)
		rc = fisc_sqlite_error(db, "fact scan");
done:
	sqlite3_finalize(stmt);
	if (whole)
		sqlite3_create_function(db, "fisc_scan_row", NCOLS, SQLITE_UTF8, NULL, NULL, NULL,
					NULL);
	fisc_scan_strings_free(&s.strs);
	return rc;
}
