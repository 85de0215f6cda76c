/*
** test_ioerr.c — I/O errors during imports, the way SQLite's own I/O-error
** tests inject them: an SQLite VFS ("fault") wraps the default one, counts
** every read, write, sync and truncate, and fails the Nth (once, as
** SQLITE_IOERR; or from the Nth on, as a full disk does with SQLITE_FULL).
** A fact import, a voucher import and a catalogue import are run with N = 1,
** 2, 3 … until one runs without meeting the fault, and every time the import
** must fail with a message that names the I/O error (not "unknown region"),
** the store must reopen and pass PRAGMA integrity_check, and it must hold
** all of the import or none of it.
*/
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include "fisc/fisc.h"

/* ---- the fault-injecting VFS ---- */

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
} fault_file;

static struct {
	sqlite3_vfs *real;
	long calls;     /* I/O calls counted since the last arm() */
	long fail_at;   /* 0: no fault */
	int persistent; /* fail every call from fail_at on (a full disk) */
	int code;       /* the error a failed write returns */
	long failed;    /* calls failed */
} fx_io;

static void arm(long n, int code, int persistent)
{
	fx_io.calls = 0;
	fx_io.fail_at = n;
	fx_io.code = code;
	fx_io.persistent = persistent;
	fx_io.failed = 0;
}

static int fault(void)
{
	fx_io.calls++;
	if (fx_io.fail_at &&
	    (fx_io.calls == fx_io.fail_at || (fx_io.persistent && fx_io.calls > fx_io.fail_at))) {
		fx_io.failed++;
		return 1;
	}
	return 0;
}

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (fault())
		return fx_io.code == SQLITE_FULL ? SQLITE_IOERR_READ : SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault())
		return fx_io.code;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault())
		return fx_io.code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	if (fault())
		return fx_io.code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
	3,         f_close,  f_read,    f_write,       f_truncate,  f_sync,  f_size,
	f_lock,    f_unlock, f_check,   f_control,     f_sector,    f_dev,   f_shm_map,
	f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	fault_file *f = (fault_file *)file;
	f->real = (sqlite3_file *)(f + 1);
	int rc = fx_io.real->xOpen(fx_io.real, name, f->real, flags, out);
	f->base.pMethods = f->real->pMethods ? &fault_io : NULL;
	return rc;
}

static sqlite3_vfs fault_vfs;

static void register_fault_vfs(void)
{
	fx_io.real = sqlite3_vfs_find(NULL);
	assert_non_null(fx_io.real);
	assert_true(fx_io.real->iVersion >= 1);
	fault_vfs = *fx_io.real;
	fault_vfs.zName = "fault";
	fault_vfs.szOsFile = (int)sizeof(fault_file) + fx_io.real->szOsFile;
	fault_vfs.xOpen = f_open;
	fault_vfs.pNext = NULL;
	assert_int_equal(sqlite3_vfs_register(&fault_vfs, 0), SQLITE_OK);
}

/* ---- the store under test ---- */

typedef struct counts {
	long long facts, vouchers, editions, catalog, regions;
} counts;

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* Open the file with SQLite itself (default VFS): integrity, then counts. */
static counts check_store(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	const char *ok = (const char *)sqlite3_column_text(q, 0);
	if (strcmp(ok, "ok"))
		print_error("integrity_check: %s\n", ok);
	assert_string_equal(ok, "ok");
	sqlite3_finalize(q);
	counts c = {count(db, "SELECT count(*) FROM fact"), count(db, "SELECT count(*) FROM voucher"),
		    count(db, "SELECT count(*) FROM edition"), count(db, "SELECT count(*) FROM catalog"),
		    count(db, "SELECT count(*) FROM region")};
	/* The voucher aggregates move with the vouchers. */
	assert_int_equal(count(db, "SELECT coalesce(sum(n),0) FROM voucher_month"), c.vouchers);
	sqlite3_close(db);
	return c;
}

static int same(counts a, counts b)
{
	return a.facts == b.facts && a.vouchers == b.vouchers && a.editions == b.editions &&
	       a.catalog == b.catalog && a.regions == b.regions;
}

typedef struct env {
	char *dir;
	char base[512], work[512], uri[600];
	counts before;
} env;

static const char regions_csv[] = "code,name,parent,level\n"
				  "500000,重庆市,,省\n500109,北碚区,500000,区\n";

static void copy_file(const char *from, const char *to)
{
	size_t n;
	FILE *in = fopen(from, "rb");
	FILE *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[1 << 16];
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Start over from the base store (no -wal left behind). */
static void reset_work(env *e)
{
	char p[600];
	snprintf(p, sizeof p, "%s-wal", e->work);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", e->work);
	unlink(p);
	copy_file(e->base, e->work);
}

/* A small edition (the bundled one takes thousands of I/O calls). */
static char catalog_dir[600];

static void write_catalog(const char *dir)
{
	snprintf(catalog_dir, sizeof catalog_dir, "%s/catalog", dir);
	assert_int_equal(mkdir(catalog_dir, 0755), 0);
	free(tu_write(catalog_dir, "revenue.csv",
		      "code,name,level,parent_code\n101,税收收入,1,\n10101,增值税,2,101\n"));
	free(tu_write(catalog_dir, "expenditure_function.csv",
		      "code,name,level,parent_code\n205,教育支出,1,\n20502,普通教育,2,205\n"
		      "2050201,学前教育,3,20502\n"));
	free(tu_write(catalog_dir, "expenditure_economic_government.csv",
		      "code,name,level,parent_code\n501,机关工资福利支出,1,\n"));
	free(tu_write(catalog_dir, "expenditure_economic_department.csv",
		      "code,name,level,parent_code\n301,工资福利支出,1,\n30101,基本工资,2,301\n"));
}

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	e->dir = tu_tmpdir();
	snprintf(e->base, sizeof e->base, "%s/base.db", e->dir);
	snprintf(e->work, sizeof e->work, "%s/work.db", e->dir);
	snprintf(e->uri, sizeof e->uri, "sqlite:%s?vfs=fault", e->work);
	write_catalog(e->dir);
	fisc_store *st;
	assert_int_equal(fisc_store_open(e->base, &st), FISC_OK);
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	assert_int_equal(fisc_import_csv_buffer(st, "regions.csv", regions_csv,
						sizeof regions_csv - 1, d, &s),
			 FISC_OK);
	fisc_diag_free(d);
	fisc_store_close(st); /* checkpoints: base.db alone is the store */
	reset_work(e);
	e->before = check_store(e->work);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	tu_rmrf(e->dir);
	free(e->dir);
	free(e);
	return 0;
}

typedef int (*import_fn)(fisc_store *st, fisc_diag *d);

static const char facts_csv[] =
	"region,scope,year,book,phase,item,amount,unit\n"
	"500109,all,2024,gpb,budget,tax,160198,万元\n"
	"北碚区,all,2024,gpb,budget,nontax,140078,万元\n"
	"500109,self,2024,gpb,budget,tax,90000,万元\n"
	"500109,lower,2024,gpb,budget,tax,70198,万元\n";

static int import_facts(fisc_store *st, fisc_diag *d)
{
	fisc_import_stats s;
	return fisc_import_csv_buffer(st, "facts.csv", facts_csv, sizeof facts_csv - 1, d, &s);
}

static const char vouchers_csv[] = "number,date,region,unit,book,function,economic,fen\n"
				   "V1,2024-01-05,500109,101001,gpb,2050201,30101,123456\n"
				   "V2,2024-01-20,北碚区,101002,gpb,2050202,30201,1000\n"
				   "V3,2024-02-06,500109,101002,gfb,2050202,50101,-50\n";

static int import_vouchers(fisc_store *st, fisc_diag *d)
{
	fisc_voucher_stats s;
	return fisc_voucher_import_buffer(st, "vouchers.csv", vouchers_csv,
					  sizeof vouchers_csv - 1, d, &s);
}

static int import_catalog(fisc_store *st, fisc_diag *d)
{
	return fisc_catalog_import_dir(st, 2025, catalog_dir);
}

/* The message names the I/O failure, and no diagnostic blames the data. */
static void assert_io_message(const char *msg, fisc_diag *d, long n)
{
	int named = strstr(msg, "I/O error") || strstr(msg, "disk full");
	if (!named || strstr(msg, "unknown region"))
		print_error("N=%ld: %s\n", n, msg);
	assert_true(named);
	assert_null(strstr(msg, "unknown region"));
	assert_null(strstr(msg, "cannot rollback"));
	for (size_t i = 0; d && i < fisc_diag_count(d); i++) {
		char line[1024];
		fisc_diag_format(fisc_diag_get(d, i), line, sizeof line);
		print_error("N=%ld: unexpected diagnostic: %s\n", n, line);
	}
	assert_int_equal(d ? fisc_diag_count(d) : 0, 0);
}

/* Fail each I/O call of an import in turn. */
static void sweep(env *e, import_fn run, int code, int persistent)
{
	long n;
	for (n = 1; n < 100000; n++) {
		fisc_diag *d = fisc_diag_new();
		fisc_store *st = NULL;
		arm(n, code, persistent);
		int rc = fisc_store_open_v2(e->uri, 0, &st);
		char msg[1024];
		if (rc == FISC_OK) {
			rc = run(st, d);
			snprintf(msg, sizeof msg, "%s", fisc_error_message());
			fisc_store_close(st);
		} else {
			snprintf(msg, sizeof msg, "%s", fisc_error_message());
		}
		long failed = fx_io.failed;
		arm(0, 0, 0);
		/* fisc reopens it (recovering the WAL if need be) … */
		fisc_store *again;
		assert_int_equal(fisc_store_open_v2(e->work, 0, &again), FISC_OK);
		fisc_store_close(again);
		/* … and SQLite finds it sound. */
		counts now = check_store(e->work);
		if (rc != FISC_OK) {
			assert_true(failed > 0);
			assert_io_message(msg, d, n);
			if (!same(now, e->before))
				print_error("N=%ld: the failed import left a part of itself\n", n);
			assert_true(same(now, e->before));
		} else {
			/* Written whole (a fault after the commit, while closing,
			** cannot take it back). */
			assert_false(same(now, e->before));
			reset_work(e);
		}
		fisc_diag_free(d);
		if (!failed)
			break; /* N is past the import's last I/O call */
	}
	if (getenv("IOERR_VERBOSE"))
		print_message("sweep: %ld I/O calls\n", n);
	assert_true(n > 3); /* the imports do I/O, and every call of it was failed once */
}

static void facts_io_errors(void **state)
{
	sweep(*state, import_facts, SQLITE_IOERR_WRITE, 0);
	sweep(*state, import_facts, SQLITE_FULL, 1);
}

static void vouchers_io_errors(void **state)
{
	sweep(*state, import_vouchers, SQLITE_IOERR_WRITE, 0);
	sweep(*state, import_vouchers, SQLITE_FULL, 1);
}

static void catalog_io_errors(void **state)
{
	sweep(*state, import_catalog, SQLITE_IOERR_WRITE, 0);
	sweep(*state, import_catalog, SQLITE_FULL, 1);
}

/* The bug behind the sweeps, at the store's level: an I/O error that makes
** SQLite roll the transaction back must not let the next write run (and
** commit) outside it, and rolling back afterwards is not an error. */
static void no_write_after_an_aborted_transaction(void **state)
{
	env *e = *state;
	fisc_store *st;
	assert_int_equal(fisc_store_open_v2(e->uri, 0, &st), FISC_OK);
	assert_int_equal(fisc_store_begin(st), FISC_OK);
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	arm(1, SQLITE_IOERR_WRITE, 0); /* the next read: the region table's page */
	int rc = fisc_store_region_find(st, "500109", a, &r);
	long failed = fx_io.failed;
	arm(0, 0, 0);
	assert_int_equal(failed, 1);
	assert_int_equal(rc, FISC_EIO);
	assert_non_null(strstr(fisc_error_message(), "I/O error"));
	fisc_fact f = {0};
	f.region = 1;
	f.year = 2024;
	f.scope = FISC_SCOPE_ALL;
	f.book = FISC_BOOK_GPB;
	f.phase = FISC_PHASE_BUDGET;
	f.item = "tax";
	f.dept = f.project = f.econ = f.fund = "";
	f.has_amount = 1;
	f.amount.fen = 100;
	f.amount.ulp = 1;
	rc = fisc_store_fact_put(st, &f);
	assert_int_equal(rc, FISC_EIO);
	assert_non_null(strstr(fisc_error_message(), "I/O error"));
	assert_int_equal(fisc_store_commit(st), FISC_EIO);
	assert_int_equal(fisc_store_rollback(st), FISC_OK);
	fisc_arena_free(a);
	fisc_store_close(st);
	counts now = check_store(e->work);
	assert_true(same(now, e->before));
}

int main(void)
{
	register_fault_vfs();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_write_after_an_aborted_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(facts_io_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(vouchers_io_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(catalog_io_errors, setup, teardown),
	};
	return cmocka_run_group_tests_name("ioerr", tests, NULL, NULL);
}
