/*
** fisc/ledger.h — budget execution: the 指标 (quota) ledger, payments under
** control, and the engine that applies them (design: docs/ledger.md).
**
** A 指标 line is the unit of control: region, year, book, department,
** project, 功能分类 项, 部门经济分类 款, fund source and expense kind. Its
** figures are 指标 (quota), 已支付 (paid) and 在途 (pending); for every line
** at every committed instant 0 ≤ paid + pending ≤ quota. Documents move quota
** (批复 / 追加 / 调减 / 调剂 / 收回 / 结转 / 下达), payments move paid and
** pending. Every write is an entry of the journal (fisc/journal.h), and the
** in-memory state of the engine is the replay of that journal.
**
** Errors of the engine's requests (all with the line's figures in the message
** when a balance is involved, "中文 / English"):
**   FISC_ERANGE     not enough 可用指标, or a document would take a line
**                   below 已支付 + 在途 (or a refund beyond what was paid)
**   FISC_EEXIST     the idempotency key / 文号 exists with other content
**   FISC_ENOTFOUND  unknown line or payment key
**   FISC_EINVAL     malformed request (bad kind, 调剂 not netting to zero,
**                   a transition from the wrong state)
**   FISC_ESTORE     the batch could not be committed (nothing applied; the
**                   request may be retried with the same key)
*/
#ifndef FISC_LEDGER_H
#define FISC_LEDGER_H

#include "export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fisc_fund_source {
	FISC_FUND_LOCAL = 1,    /* 本级财力 */
	FISC_FUND_TRANSFER = 2, /* 上级转移支付 (with its 文号) */
	FISC_FUND_BOND = 3,     /* 债券 */
	FISC_FUND_CARRY = 4     /* 上年结转 */
} fisc_fund_source;

typedef enum fisc_exp_kind {
	FISC_EXP_BASIC = 1,  /* 基本支出 */
	FISC_EXP_PROJECT = 2 /* 项目支出 */
} fisc_exp_kind;

typedef enum fisc_doc_kind {
	FISC_DOC_APPROVE = 1, /* 批复 (年初批复): quota up */
	FISC_DOC_ADD = 2,     /* 追加: up */
	FISC_DOC_CUT = 3,     /* 调减: down */
	FISC_DOC_SHIFT = 4,   /* 调剂: between lines, nets to zero */
	FISC_DOC_RECLAIM = 5, /* 收回: down */
	FISC_DOC_CARRY = 6,   /* 结转: up (a carried-over line of the new year) */
	FISC_DOC_ALLOT = 7    /* 下达 of a 上级转移支付: up */
} fisc_doc_kind;

typedef enum fisc_pay_state {
	FISC_PAY_PENDING = 1, /* 在途 */
	FISC_PAY_PAID = 2,    /* 已支付 */
	FISC_PAY_VOID = 3     /* 已退回 (rejected / voided) */
} fisc_pay_state;

/* Names ("本级财力", "批复", "在途" …) and parsers (Chinese name or the
** English code "local", "approve", "pending" …; -1 when unknown). */
FISC_API const char *fisc_fund_name(int f);
FISC_API const char *fisc_exp_kind_name(int k);
FISC_API const char *fisc_doc_kind_name(int k);
FISC_API const char *fisc_pay_state_name(int s);
FISC_API int fisc_fund_parse(const char *s);
FISC_API int fisc_exp_kind_parse(const char *s);
FISC_API int fisc_doc_kind_parse(const char *s);
/* "pending" / "paid" / "void", and back (also from 在途 / 已支付 / 已退回). */
FISC_API const char *fisc_pay_state_code(int s);
FISC_API int fisc_pay_state_parse(const char *s);

/* A 指标 line: its identity and its figures (fen). Text fields are never
** NULL ("" when absent); fund_doc is the 文号 of a 上级转移支付. */
typedef struct fisc_quota_line {
	int64_t id;
	const char *region; /* region code */
	int32_t year;
	uint8_t book;       /* fisc_book */
	const char *dept;
	const char *project;
	const char *func;   /* 功能分类 项 code (7 digits), "" when not known */
	const char *econ;   /* 部门经济分类 款 code */
	uint8_t fund;       /* fisc_fund_source */
	const char *fund_doc;
	uint8_t kind;       /* fisc_exp_kind */
	int64_t quota, paid, pending;
} fisc_quota_line;

/* One leg of a document: the line (by its identity; id and figures are
** ignored on input) and a signed amount of quota. */
typedef struct fisc_quota_leg {
	fisc_quota_line line;
	int64_t fen;
} fisc_quota_leg;

typedef struct fisc_quota_doc {
	const char *no;     /* 文号, unique in the ledger */
	int32_t date;       /* YYYYMMDD */
	uint8_t kind;       /* fisc_doc_kind */
	const char *author;
	size_t nlegs;
	const fisc_quota_leg *legs;
} fisc_quota_doc;

typedef struct fisc_payment {
	const char *key;    /* idempotency key */
	int64_t line;       /* line id */
	int64_t fen;        /* > 0 */
	const char *payee;
	const char *purpose;
	uint8_t state;      /* fisc_pay_state */
	int64_t refunded;   /* sum of refunds (退款), only after 已支付 */
	int32_t paid_on;    /* YYYYMMDD of 已支付 (the month of 执行数); 0 before */
	int64_t id;         /* set by the ledger, ignored on requests: 1 + the number
			    ** of payments the journal created before this one (the
			    ** store's row; docs/ledger.md, "Payments by row") */
} fisc_payment;

typedef struct fisc_refund {
	const char *key;     /* idempotency key of the refund */
	const char *pay_key; /* the payment refunded */
	int64_t fen;         /* > 0, at most what is paid and not yet refunded */
	int32_t date;        /* YYYYMMDD; 0: today */
	int64_t pay_id;      /* set by the ledger, ignored on requests: the payment's id */
} fisc_refund;

/* What a request did: the payment after it (or the document's first line)
** and the figures of its line after the request. replay != 0 when the key
** had already been applied and this is the first result, unchanged. */
typedef struct fisc_ledger_result {
	int replay;
	int64_t line;
	uint8_t state;
	int64_t refunded;
	int64_t quota, paid, pending;
	int64_t seq;        /* journal entry that recorded it (0 for a replay) */
} fisc_ledger_result;

/* ---- The engine ---------------------------------------------------------
** fisc_ledger_open opens its own handle on the store at `uri` (the one
** writer of this process) and starts the writer thread. Every request call
** below is thread-safe: it enqueues the request, the writer applies all the
** queued requests as one batch in one transaction with synchronous=FULL, and
** the call returns after that transaction is durable (group commit). Each
** request is decided on its own: a refused request leaves no trace and
** does not affect the others of its batch. Several processes may share a
** store: each batch first replays the journal entries others appended. */
typedef struct fisc_ledger fisc_ledger;

FISC_API int fisc_ledger_open(const char *uri, fisc_ledger **out);
FISC_API void fisc_ledger_close(fisc_ledger *l);

/* 在途: reserve fen on a line. */
FISC_API int fisc_ledger_request(fisc_ledger *l, const fisc_payment *p, fisc_ledger_result *res);
/* 在途 → 已支付, paid today (confirm) or on `date` (YYYYMMDD). */
FISC_API int fisc_ledger_confirm(fisc_ledger *l, const char *key, fisc_ledger_result *res);
FISC_API int fisc_ledger_confirm_on(fisc_ledger *l, const char *key, int32_t date,
			   fisc_ledger_result *res);
/* 在途 → 已退回. */
FISC_API int fisc_ledger_void(fisc_ledger *l, const char *key, fisc_ledger_result *res);
/* 退款 of (part of) a paid payment: paid goes down by fen. */
FISC_API int fisc_ledger_refund(fisc_ledger *l, const fisc_refund *r, fisc_ledger_result *res);
/* Apply n documents all or nothing (one request): each document atomic, and
** the n together. A document whose 文号 is stored with the same content is a
** replay; with other content FISC_EEXIST. *failed gets the index of the
** refused document (may be NULL). */
FISC_API int fisc_ledger_apply(fisc_ledger *l, const fisc_quota_doc *docs, size_t n,
		      size_t *failed, fisc_ledger_result *res);

/* Many payment operations submitted at once (a file of them): queued in
** order, so they are decided in that order and share batches; each is its
** own decision (kind 'P' request, 'C' confirm, 'V' void, 'R' refund; pay.key
** names the payment of 'C' and 'V'). Returns after all are durable; each
** op's rc, msg and res say what happened to it. */
typedef struct fisc_ledger_op {
	int kind;
	fisc_payment pay;
	fisc_refund refund;
	int rc;
	char msg[1024];
	fisc_ledger_result res;
} fisc_ledger_op;
FISC_API int fisc_ledger_submit(fisc_ledger *l, fisc_ledger_op *ops, size_t n);

/* Nonzero when a document of this 文号 is in the ledger. */
FISC_API int fisc_ledger_doc_exists(fisc_ledger *l, const char *no);

/* A payment as of the last committed batch (text fields live in the
** engine until it is closed); FISC_ENOTFOUND for an unknown key. */
FISC_API int fisc_ledger_payment_get(fisc_ledger *l, const char *key, fisc_payment *out);

/* Figures of a line as of the last committed batch. */
FISC_API int fisc_ledger_line_get(fisc_ledger *l, int64_t id, fisc_quota_line *out);
/* Line id for an identity; FISC_ENOTFOUND when no document created it. */
FISC_API int fisc_ledger_line_find(fisc_ledger *l, const fisc_quota_line *identity, int64_t *id);
FISC_API int64_t fisc_ledger_line_count(fisc_ledger *l);

/* Observer of every committed batch (tests, metrics): called on the writer
** thread after the commit and before the requests are acknowledged, with the
** requests in the order they were decided. kind: 'P' request, 'C' confirm,
** 'V' void, 'R' refund, 'D' documents; rc the request's result code. */
typedef struct fisc_ledger_event {
	int kind;
	int rc;
	const fisc_payment *payment;  /* 'P'; for 'C'/'V' only key is set */
	const fisc_refund *refund;    /* 'R' */
	const fisc_quota_doc *docs;   /* 'D' */
	size_t ndocs;
	const fisc_ledger_result *res;
} fisc_ledger_event;
typedef void (*fisc_ledger_batch_cb)(void *ud, fisc_ledger *l,
				     const fisc_ledger_event *ev, size_t n);
FISC_API void fisc_ledger_on_batch(fisc_ledger *l, fisc_ledger_batch_cb cb, void *ud);

/* ---- Store operations (the backend's table; the engine's materialised
** view of the journal, also read by reports and `fisc quota status`) ------ */
typedef int (*fisc_quota_line_cb)(void *ud, const fisc_quota_line *l);
typedef int (*fisc_payment_cb)(void *ud, const fisc_payment *p);
/* A leg as stored, with its document's number and kind. */
typedef struct fisc_quota_leg_row {
	const char *doc_no;
	int32_t date;
	uint8_t kind;
	int64_t line;
	int64_t fen;
} fisc_quota_leg_row;
typedef int (*fisc_quota_leg_cb)(void *ud, const fisc_quota_leg_row *r);

/* synchronous=FULL on this handle: every commit is fsync'ed. */
FISC_API int fisc_store_ledger_durable(fisc_store *st);
FISC_API int fisc_store_quota_line_put(fisc_store *st, const fisc_quota_line *l);
FISC_API int fisc_store_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			      int64_t pending);
FISC_API int fisc_store_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud);
FISC_API int fisc_store_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids);
FISC_API int fisc_store_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud);
/* Insert, or update state and refunded of the payment with this key. */
FISC_API int fisc_store_payment_put(fisc_store *st, const fisc_payment *p);
FISC_API int fisc_store_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud);
FISC_API int fisc_store_refund_put(fisc_store *st, const fisc_refund *r);

/* What was paid, net of refunds, per line identity (without fund source)
** and month of `year` (0: every year): paid payments in the month they
** were paid, refunds subtracted in the month they were made. Ordered by
** region, dept, project, func, econ, book, kind, month. */
typedef struct fisc_quota_rollup_row {
	const char *region;
	int32_t year;
	uint8_t book;
	const char *dept, *project, *func, *econ;
	uint8_t kind;       /* fisc_exp_kind */
	int32_t month;      /* 1..12 */
	int64_t fen;
} fisc_quota_rollup_row;
typedef int (*fisc_quota_rollup_cb)(void *ud, const fisc_quota_rollup_row *r);
FISC_API int fisc_store_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud);

/* ---- Budget to 指标, and 指标 documents from files ----------------------- */

/* The 年初批复 document (文号 `no`, default "<region>-<year>-年初批复") of
** region/year from its stored department budget facts (phase 预算, base facts
** with a department and an economic class; docs/ledger.md says which). */
FISC_API int fisc_quota_from_budget(fisc_store *st, fisc_ledger *l, const char *region, int year,
			   const char *no, const char *author, int32_t date,
			   fisc_ledger_result *res, size_t *nlegs);

/* 指标 documents from a CSV (columns in docs/ledger.md), all or nothing: the
** problems go to diag (file:line:field) and nothing is applied. With l ==
** NULL the file is only parsed and checked (fuzzing); *ndocs gets the number
** of documents. */
struct fisc_diag;
FISC_API int fisc_quota_import_buffer(fisc_ledger *l, const char *file, const char *buf, size_t len,
			     struct fisc_diag *diag, size_t *ndocs);
FISC_API int fisc_quota_import_file(fisc_ledger *l, const char *file, struct fisc_diag *diag,
			   size_t *ndocs);

/* Year end: the 可用 of every line of `year` (of `region`, or of the one
** region the ledger holds when NULL) is taken back or carried into year + 1
** by the rule table of docs/ledger.md (基本支出 结余收回; 项目支出 结转 once,
** then 收回), as a 收回 document "<region>-<year>-结余收回" and a 结转
** document "<region>-<year>-结转" (dated `date`, default <year>1231),
** applied together all or nothing. 在途 stays on the old line. */
typedef struct fisc_quota_close_stats {
	int documents;
	long reclaimed_lines, carried_lines;
	int64_t reclaimed, carried; /* fen */
} fisc_quota_close_stats;
FISC_API int fisc_quota_close(fisc_ledger *l, const char *region, int year, int32_t date,
		     fisc_quota_close_stats *stats);

/* Execution facts from the ledger: for region and year, what was paid net
** of refunds per department, project, 功能分类 (own_exp when the line has
** none), 经济分类 and book, written as base facts of phase 执行, scope 本级,
** source "ledger", in one transaction. FISC_EEXIST (nothing written) when
** such facts are stored already. */
FISC_API int fisc_quota_exec_facts(fisc_store *st, const char *region, int year, long *nfacts);

/* Compare the stored execution facts of that shape with the ledger's sums;
** cb gets every key where they differ (or one side is missing). */
typedef struct fisc_exec_diff {
	const char *dept, *project, *item, *econ;
	uint8_t book;
	int in_ledger;
	int64_t ledger;
	int in_facts;
	int64_t facts;
} fisc_exec_diff;
typedef int (*fisc_exec_diff_cb)(void *ud, const fisc_exec_diff *d);
FISC_API int fisc_quota_exec_check(fisc_store *st, const char *region, int year, fisc_exec_diff_cb cb,
			  void *ud, long *ndiff);

/* For `fisc check`: compare, for every region and year the ledger holds
** payments of (within region/year when given), the stored execution facts
** with the ledger's sums; every difference becomes an error finding of rule
** "ledger.execution" appended to fs (in `a`), every key a check. */
struct fisc_findings;
FISC_API int fisc_quota_check_findings(fisc_store *st, const char *region, int year, fisc_arena *a,
			      struct fisc_findings *fs);

/* What `fisc quota status` and the server's ledger reads show: lines of
** a region (code), a year, a department (NULL / 0: any). */
typedef struct fisc_quota_filter {
	const char *region;
	int year;
	const char *dept;
} fisc_quota_filter;

/* Every line's 指标 / 已支付 / 在途 / 可用 / 支出进度 % (已支付 ÷ 指标, two
** decimals, half up) and the documents behind it, then the total, as
** format "tsv" (a header row, one row a line, a 合计 row) or "json"
** ({"lines": […], "total": {…}}; amounts as 元 with two decimals). */
FISC_API int fisc_quota_status_write(fisc_store *st, const fisc_quota_filter *f,
				     const char *format, FILE *out);
/* The documents with their legs on the filter's lines, as JSON
** ({"documents": [{no, date, kind, legs: [{line, …, amount}]}]}). */
FISC_API int fisc_quota_docs_write(fisc_store *st, const fisc_quota_filter *f, FILE *out);
/* The payments on the filter's lines (state: fisc_pay_state, 0 any; line:
** 0 any) with their state, as JSON ({"payments": […], "total": {…}}). */
FISC_API int fisc_payments_write(fisc_store *st, const fisc_quota_filter *f, int state,
				 int64_t line, FILE *out);

/* 指标 documents from a CSV body (the columns of fisc_quota_import_buffer)
** for one region only: a row naming another region is a problem of field
** "region" (and nothing is applied), so a region's finance bureau cannot
** write another region's 指标. */
FISC_API int fisc_quota_import_region(fisc_ledger *l, const char *region, const char *file,
				      const char *buf, size_t len, struct fisc_diag *diag,
				      size_t *ndocs);

/* A file of payment operations (CSV or XLSX; columns action,key,line,
** amount,payee,purpose,payment — docs/ledger.md), never all or nothing: each
** row is its own decision, reported to cb in file order with its result
** (a row that cannot be read is refused with the reason, FISC_EINVAL). */
typedef struct fisc_pay_row {
	const char *file;
	long line;
	const char *action; /* request confirm void refund, as written */
	const char *key;
	int rc;             /* FISC_OK: accepted */
	const char *msg;    /* why refused */
	const fisc_ledger_result *res;
} fisc_pay_row;
typedef int (*fisc_pay_row_cb)(void *ud, const fisc_pay_row *r);
FISC_API int fisc_pay_batch_file(fisc_ledger *l, const char *file, fisc_pay_row_cb cb, void *ud);

#ifdef __cplusplus
}
#endif
#endif
