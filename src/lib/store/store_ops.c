/*
** store_ops.c — operations on a whole store, above the backends: schema
** migration (`fisc migrate`), backup (`fisc backup`) and copy between
** backends (`fisc copy`), all through the table of backend.h so that they
** work for every backend that fills it.
**
** A copy goes row by row through the backends' own put operations (the
** destination keeps its invariants: voucher aggregates, journal chaining
** triggers, unique keys) rather than any SQL of either side, and it is one
** transaction on the destination, checked before it commits: the journal
** chain and every balance it implies (fisc_journal_verify), and its head
** equal to the source's.
*/
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fisc/error.h"
#include "store/backend.h"
#include "model/util.h"

int fisc_store_migrate(fisc_store *st, int apply, int *from, int *to)
{
	assert(!st->in_txn);
	*from = *to = 0;
	if (!st->vt->migrate)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "该存储不支持迁移 / the %s backend has no migrations", st->vt->name);
	return st->vt->migrate(st, apply, from, to);
}

static const char *file_path(const char *uri)
{
	return strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
}

static void unlink_store(const char *path)
{
	char p[PATH_MAX + 8];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* A name beside path for a file that is linked into place when complete. */
static int temp_beside(const char *path, const char *what, char *out, size_t n)
{
	static unsigned serial;
	if ((size_t)snprintf(out, n, "%s.%s-%ld-%u", path, what, (long)getpid(),
			     __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED)) >= n)
		return fisc_error_set(FISC_EINVAL, "路径过长 / path too long: %s", path);
	unlink_store(out);
	return FISC_OK;
}

/* Put the complete file tmp at path, never over an existing file, and make
** the new name survive a crash. */
static int link_into_place(const char *tmp, const char *path)
{
	if (link(tmp, path) != 0) {
		int e = errno;
		if (e == EEXIST)
			return fisc_error_set(FISC_EEXIST, "「%s」已存在 / '%s' exists", path, path);
		if (rename(tmp, path) != 0)
			return fisc_error_set(FISC_EIO, "无法写入「%s」/ cannot write '%s': %s", path,
					      path, strerror(errno));
	}
	fisc_sync_parent_dir(path);
	return FISC_OK;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- backup -------------------------------------------------------------- */

int fisc_store_backup(fisc_store *st, const char *path)
{
	if (!st->vt->backup)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "%s 存储的备份请使用数据库服务器的工具（pg_dump、基础备份，见 docs/operations.md）/ "
				      "back up a %s store with the database server's tools (pg_dump, base backups: docs/operations.md)",
				      st->vt->name, st->vt->name);
	if (exists(path))
		return fisc_error_set(FISC_EEXIST, "备份文件「%s」已存在 / the backup file '%s' exists",
				      path, path);
	char tmp[PATH_MAX];
	int rc = temp_beside(path, "backup", tmp, sizeof tmp);
	if (rc != FISC_OK)
		return rc;
	rc = st->vt->backup(st, tmp);
	/* The copy must open as a store and its journal must verify. */
	fisc_store *b = NULL;
	if (rc == FISC_OK)
		rc = fisc_store_open_v2(tmp, 0, &b);
	if (rc == FISC_OK) {
		fisc_journal_report r;
		rc = fisc_journal_verify(b, &r);
		if (rc == FISC_OK && !r.ok)
			rc = fisc_error_set(FISC_ESTORE, "备份的日志校验失败 / the backup's journal does not verify: %s",
					    r.msg);
		fisc_store_close(b);
	}
	if (rc == FISC_OK)
		rc = link_into_place(tmp, path);
	unlink_store(tmp);
	return rc;
}

/* ---- copy ---------------------------------------------------------------- */

typedef struct idmap {
	int64_t *from, *to;
	size_t n, cap;
} idmap;

/* Ids arrive in increasing order (regions and users are walked by id). */
static int idmap_add(idmap *m, int64_t from, int64_t to)
{
	if (m->n == m->cap) {
		size_t c = m->cap ? 2 * m->cap : 64;
		int64_t *f = realloc(m->from, c * sizeof *f);
		if (f)
			m->from = f;
		int64_t *t = f ? realloc(m->to, c * sizeof *t) : NULL;
		if (t)
			m->to = t;
		if (!f || !t)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		m->cap = c;
	}
	m->from[m->n] = from;
	m->to[m->n++] = to;
	return FISC_OK;
}

static int64_t idmap_get(const idmap *m, int64_t from)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->from[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->from[lo] == from ? m->to[lo] : 0;
}

typedef struct copy_ctx {
	fisc_store *src, *dst;
	fisc_copy_stats *n;
	idmap regions, users;
	/* Vouchers are put in batches, a batch per source file. */
	fisc_voucher *batch;
	size_t nbatch;
	char source[PATH_MAX];
	int have_source;
	/* Texts collected before a second walk of the source: a backend that
	** streams a query (PostgreSQL) runs one query at a time per handle. */
	char **names;
	int *years;
	size_t nnames, capnames;
	int64_t sorted_check; /* last id seen, to assert the walk order */
	/* Versions of facts are put in batches too, their texts in varena. */
	fisc_fact_version *versions;
	size_t nversions;
	fisc_arena *varena;
} copy_ctx;

enum { VBATCH = 4096 };

static int missing_region(int64_t id, const char *what)
{
	return fisc_error_set(FISC_ESTORE,
			      "源数据库中%s引用了不存在的地区 %lld / a %s of the source names region %lld, which it does not hold",
			      what, (long long)id, what, (long long)id);
}

static int cp_region(void *ud, const fisc_region *r)
{
	copy_ctx *c = ud;
	int64_t id;
	assert(r->id > c->sorted_check);
	c->sorted_check = r->id;
	int rc = fisc_store_region_put(c->dst, r, &id);
	if (rc == FISC_OK)
		rc = idmap_add(&c->regions, r->id, id);
	c->n->regions++;
	return rc;
}

static int keep_year(copy_ctx *c, int year, const char *name)
{
	if (c->nnames == c->capnames) {
		size_t cap = c->capnames ? 2 * c->capnames : 16;
		char **n = realloc(c->names, cap * sizeof *n);
		if (n)
			c->names = n;
		int *y = n ? realloc(c->years, cap * sizeof *y) : NULL;
		if (y)
			c->years = y;
		if (!n || !y)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		c->capnames = cap;
	}
	c->years[c->nnames] = year;
	if (!(c->names[c->nnames] = strdup(name ? name : "")))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	c->nnames++;
	return FISC_OK;
}

static void drop_names(copy_ctx *c)
{
	for (size_t i = 0; i < c->nnames; i++)
		free(c->names[i]);
	c->nnames = 0;
}

static int cp_edition(void *ud, const fisc_edition *e)
{
	return keep_year(ud, e->year, e->source);
}

typedef struct cat_ctx {
	copy_ctx *c;
	int year;
} cat_ctx;

static int cp_catalog(void *ud, const fisc_catalog_entry *e)
{
	cat_ctx *x = ud;
	x->c->n->catalog++;
	return fisc_store_catalog_put(x->c->dst, x->year, e);
}

static int cp_line(void *ud, const fisc_line *l)
{
	copy_ctx *c = ud;
	c->n->lines++;
	return fisc_store_line_put(c->dst, l);
}

static int cp_alias(void *ud, const fisc_alias *al)
{
	copy_ctx *c = ud;
	c->n->aliases++;
	return fisc_store_alias_put(c->dst, al);
}

static int cp_fact(void *ud, const fisc_fact *f)
{
	copy_ctx *c = ud;
	fisc_fact g = *f;
	if (!(g.region = idmap_get(&c->regions, f->region)))
		return missing_region(f->region, "事实 / fact");
	c->n->facts++;
	return fisc_store_fact_put(c->dst, &g);
}

/* With history on both sides, facts move as their versions, with every
** number kept: the journal's amendment entries hash fact, region and
** document ids (docs/history.md), so that a copy that renumbered any of
** them would not verify. */
static int cp_doc(void *ud, const fisc_fact_doc *d)
{
	copy_ctx *c = ud;
	int64_t id;
	int rc = c->dst->vt->history->doc_put(c->dst, d, &id);
	if (rc == FISC_OK && id != d->id)
		rc = fisc_error_set(FISC_ESTORE, "修正文件 #%lld 复制后编号变为 #%lld / document #%lld was renumbered #%lld",
				    (long long)d->id, (long long)id, (long long)d->id, (long long)id);
	c->n->documents++;
	return rc;
}

static int flush_versions(copy_ctx *c)
{
	if (!c->nversions)
		return FISC_OK;
	int rc = c->dst->vt->history->version_put(c->dst, c->versions, c->nversions);
	c->nversions = 0;
	fisc_arena_free(c->varena);
	c->varena = NULL;
	return rc;
}

static int cp_version(void *ud, const fisc_fact_version *v)
{
	copy_ctx *c = ud;
	if (!c->varena && !(c->varena = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_fact_version *w = &c->versions[c->nversions++];
	*w = *v;
	fisc_fact *f = &w->f;
	if (!(f->region = idmap_get(&c->regions, v->f.region)))
		return missing_region(v->f.region, "事实 / fact");
	/* The texts live as long as the source's row: keep copies. */
	const char **t[] = {&f->item, &f->dept, &f->project, &f->econ, &f->fund, &f->source, &f->note};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!(*t[i] = fisc_arena_strdup(c->varena, *t[i] ? *t[i] : "")))
			return fisc_error_set(FISC_ENOMEM, "out of memory");
	if (!v->ended_by)
		c->n->facts++;
	else
		c->n->versions++;
	return c->nversions == VBATCH ? flush_versions(c) : FISC_OK;
}

static int copy_facts(copy_ctx *c)
{
	fisc_store *src = c->src;
	if (!src->vt->history || !c->dst->vt->history)
		return fisc_store_fact_each(src, NULL, cp_fact, c);
	if (!(c->versions = malloc(VBATCH * sizeof *c->versions)))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = src->vt->history->doc_each(src, cp_doc, c);
	if (rc == FISC_OK)
		rc = src->vt->history->version_each(src, NULL, 0, cp_version, c);
	if (rc == FISC_OK)
		rc = flush_versions(c);
	return rc;
}

static int flush_vouchers(copy_ctx *c)
{
	if (!c->nbatch)
		return FISC_OK;
	int rc = fisc_store_voucher_put(c->dst, c->batch, c->nbatch);
	c->n->vouchers += (int64_t)c->nbatch;
	c->nbatch = 0;
	return rc;
}

static int cp_voucher(void *ud, const fisc_voucher *v, const char *source)
{
	copy_ctx *c = ud;
	int rc;
	if (!c->have_source || strcmp(c->source, source) != 0) {
		if ((rc = flush_vouchers(c)) != FISC_OK)
			return rc;
		snprintf(c->source, sizeof c->source, "%s", source);
		c->have_source = 1;
		if ((rc = fisc_store_voucher_source(c->dst, source)) != FISC_OK)
			return rc;
	}
	fisc_voucher *w = &c->batch[c->nbatch++];
	*w = *v;
	if (!(w->region = idmap_get(&c->regions, v->region)))
		return missing_region(v->region, "凭证 / voucher");
	return c->nbatch == VBATCH ? flush_vouchers(c) : FISC_OK;
}

static int cp_indicator(void *ud, const fisc_indicator *ind)
{
	copy_ctx *c = ud;
	fisc_indicator i = *ind;
	if (!(i.region = idmap_get(&c->regions, ind->region)))
		return missing_region(ind->region, "绩效指标 / indicator");
	c->n->indicators++;
	return fisc_store_indicator_put(c->dst, &i);
}

static int cp_text(void *ud, const fisc_perf_text *t)
{
	copy_ctx *c = ud;
	fisc_perf_text u = *t;
	if (!(u.region = idmap_get(&c->regions, t->region)))
		return missing_region(t->region, "绩效文本 / text");
	c->n->texts++;
	return fisc_store_perf_text_put(c->dst, &u);
}

static int cp_quota_line(void *ud, const fisc_quota_line *l)
{
	copy_ctx *c = ud;
	c->n->quota_lines++;
	return fisc_store_quota_line_put(c->dst, l);
}

static int cp_quota_doc(void *ud, const fisc_quota_doc *d, const int64_t *line_ids)
{
	copy_ctx *c = ud;
	c->n->quota_docs++;
	return fisc_store_quota_doc_put(c->dst, d, line_ids);
}

static int cp_payment(void *ud, const fisc_payment *p)
{
	copy_ctx *c = ud;
	c->n->payments++;
	return fisc_store_payment_put(c->dst, p);
}

static int cp_refund(void *ud, const fisc_refund *r)
{
	copy_ctx *c = ud;
	c->n->refunds++;
	return fisc_store_refund_put(c->dst, r);
}

static int cp_journal(void *ud, const fisc_journal_entry *e)
{
	copy_ctx *c = ud;
	c->n->journal++;
	return fisc_store_journal_put(c->dst, e);
}

static int cp_user_name(void *ud, const fisc_user *u)
{
	return keep_year(ud, 0, u->name);
}

static int cp_token(void *ud, const unsigned char hash[32], int64_t user, int kind,
		    int64_t expires)
{
	copy_ctx *c = ud;
	int64_t to = idmap_get(&c->users, user);
	if (!to)
		return FISC_OK; /* a token of a removed user grants nothing */
	c->n->tokens++;
	return c->dst->vt->user->token_put(c->dst, hash, to, kind, expires);
}

static int cp_publish(void *ud, int64_t region, int year)
{
	copy_ctx *c = ud;
	int64_t to = idmap_get(&c->regions, region);
	if (!to)
		return missing_region(region, "公开标记 / publication mark");
	c->n->published++;
	return c->dst->vt->user->publish_set(c->dst, to, year, 1);
}

static int cp_event(void *ud, const fisc_event *e)
{
	copy_ctx *c = ud;
	c->n->events++;
	return c->dst->vt->user->event_put(c->dst, e);
}

typedef struct user_pair {
	int64_t from, to;
} user_pair;

static int cmp_pair(const void *a, const void *b)
{
	const user_pair *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Users by name (the only walk that gives the password hash), then their
** ids mapped for the tokens. */
static int copy_users(copy_ctx *c)
{
	const fisc_user_vtab *su = c->src->vt->user, *du = c->dst->vt->user;
	drop_names(c);
	int rc = su->user_each(c->src, cp_user_name, c);
	user_pair *pairs = rc == FISC_OK && c->nnames ? calloc(c->nnames, sizeof *pairs) : NULL;
	if (rc == FISC_OK && c->nnames && !pairs)
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	for (size_t i = 0; rc == FISC_OK && i < c->nnames; i++) {
		fisc_arena *a = fisc_arena_new();
		fisc_user u, v;
		const char *pwhash = NULL;
		if (!a) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			break;
		}
		rc = su->user_find(c->src, c->names[i], a, &u, &pwhash);
		if (rc == FISC_OK)
			rc = du->user_put(c->dst, &u, pwhash);
		if (rc == FISC_OK && u.disabled)
			rc = du->user_update(c->dst, u.name, NULL, 1);
		if (rc == FISC_OK)
			rc = du->user_find(c->dst, u.name, a, &v, NULL);
		if (rc == FISC_OK) {
			pairs[i].from = u.id;
			pairs[i].to = v.id;
			c->n->users++;
		}
		fisc_arena_free(a);
	}
	if (rc == FISC_OK && c->nnames) {
		qsort(pairs, c->nnames, sizeof *pairs, cmp_pair);
		for (size_t i = 0; rc == FISC_OK && i < c->nnames; i++)
			rc = idmap_add(&c->users, pairs[i].from, pairs[i].to);
	}
	free(pairs);
	if (rc == FISC_OK)
		rc = su->token_each(c->src, cp_token, c);
	if (rc == FISC_OK)
		rc = su->publish_each(c->src, cp_publish, c);
	if (rc == FISC_OK)
		rc = su->event_each(c->src, 0, cp_event, c);
	return rc;
}

static int lacks(fisc_store *st, const char *what)
{
	return fisc_error_set(FISC_EUNSUPPORTED,
			      "%s 存储不能列出%s，无法复制 / the %s backend cannot list its %s: it cannot be copied",
			      st->vt->name, what, st->vt->name, what);
}

/* What the copy needs from both sides beyond the everyday operations. */
static int able(fisc_store *src, fisc_store *dst)
{
	fisc_store *both[2] = {src, dst};
	if (!src->vt->voucher_each)
		return lacks(src, "凭证 / vouchers");
	if (!src->vt->quota_doc_each)
		return lacks(src, "指标文件 / quota documents");
	if (!src->vt->refund_each)
		return lacks(src, "退款 / refunds");
	for (int i = 0; i < 2; i++)
		if (both[i]->vt->user && (!both[i]->vt->user->token_each ||
					   !both[i]->vt->user->publish_each))
			return lacks(both[i], "令牌与公开标记 / tokens and publication marks");
	for (int i = 0; i < 2; i++)
		if (both[i]->vt->history &&
		    (!both[i]->vt->history->doc_each || !both[i]->vt->history->version_put))
			return lacks(both[i], "事实的历史版本 / versions of facts");
	if (src->vt->history && !dst->vt->history)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "目标存储不保存历史版本 / the destination backend keeps no versions of facts");
	if (src->vt->user && !dst->vt->user)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "目标存储不支持用户 / the destination backend has no users");
	return FISC_OK;
}

/* A database server's store to copy into must hold nothing yet. */
static int empty_dest(fisc_store *dst, const char *to)
{
	int64_t seq;
	uint8_t h[FISC_HASH_BYTES];
	int rc = fisc_store_journal_last(dst, &seq, h);
	int64_t facts = fisc_store_fact_count(dst);
	int64_t vouchers = fisc_store_voucher_count(dst);
	int found = 0, y;
	if (rc == FISC_OK && fisc_store_edition_for(dst, 0, &y) == FISC_OK)
		found = 1;
	if (rc != FISC_OK)
		return rc;
	if (facts < 0 || vouchers < 0)
		return fisc_error_set(FISC_ESTORE, "无法读取目标存储 / cannot read the destination: %s", to);
	if (seq || facts || vouchers || found)
		return fisc_error_set(FISC_EEXIST,
				      "目标存储「%s」不是空的 / the destination '%s' is not empty", to, to);
	return FISC_OK;
}

static int copy_all(copy_ctx *c)
{
	fisc_store *src = c->src, *dst = c->dst;
	int rc = fisc_store_region_each(src, cp_region, c);
	/* Editions: the years first, then each one's entries (one query at a
	** time on the source). */
	drop_names(c);
	if (rc == FISC_OK)
		rc = fisc_store_edition_each(src, cp_edition, c);
	for (size_t i = 0; rc == FISC_OK && i < c->nnames; i++) {
		cat_ctx x = {c, c->years[i]};
		rc = fisc_store_edition_put(dst, c->years[i], c->names[i]);
		if (rc == FISC_OK)
			rc = fisc_store_catalog_each(src, c->years[i], cp_catalog, &x);
		c->n->editions++;
	}
	if (rc == FISC_OK)
		rc = fisc_store_line_each(src, cp_line, c);
	if (rc == FISC_OK)
		rc = fisc_store_alias_each(src, cp_alias, c);
	if (rc == FISC_OK)
		rc = copy_facts(c);
	if (rc == FISC_OK)
		rc = src->vt->voucher_each(src, cp_voucher, c);
	if (rc == FISC_OK)
		rc = flush_vouchers(c);
	int64_t skipped = 0, skipped_fen = 0;
	if (rc == FISC_OK)
		fisc_store_voucher_skipped(dst, &skipped, &skipped_fen);
	if (rc == FISC_OK && skipped)
		rc = fisc_error_set(FISC_ESTORE,
				    "源数据库中有 %lld 张凭证标识重复 / %lld vouchers of the source repeat an identity",
				    (long long)skipped, (long long)skipped);
	fisc_perf_query all = {0};
	if (rc == FISC_OK)
		rc = fisc_store_indicator_each(src, &all, cp_indicator, c);
	if (rc == FISC_OK)
		rc = fisc_store_perf_text_each(src, &all, cp_text, c);
	if (rc == FISC_OK)
		rc = fisc_store_quota_line_each(src, cp_quota_line, c);
	if (rc == FISC_OK)
		rc = src->vt->quota_doc_each(src, cp_quota_doc, c);
	if (rc == FISC_OK)
		rc = fisc_store_payment_each(src, cp_payment, c);
	if (rc == FISC_OK)
		rc = src->vt->refund_each(src, cp_refund, c);
	if (rc == FISC_OK)
		rc = fisc_store_journal_each(src, 0, cp_journal, c);
	if (rc == FISC_OK && src->vt->user)
		rc = copy_users(c);
	return rc;
}

/* The destination, inside its transaction, against the source. */
static int check_arrival(copy_ctx *c)
{
	fisc_journal_report r;
	int64_t sseq, dseq;
	uint8_t sh[FISC_HASH_BYTES], dh[FISC_HASH_BYTES];
	int rc = fisc_journal_verify(c->dst, &r);
	if (rc != FISC_OK)
		return rc;
	if (!r.ok)
		return fisc_error_set(FISC_ESTORE,
				      "复制后的日志校验失败，未写入目标 / the copied journal does not verify; nothing was written: %s",
				      r.msg);
	if ((rc = fisc_journal_head(c->src, &sseq, sh)) != FISC_OK ||
	    (rc = fisc_journal_head(c->dst, &dseq, dh)) != FISC_OK)
		return rc;
	if (sseq != dseq || memcmp(sh, dh, sizeof sh) != 0)
		return fisc_error_set(FISC_ESTORE,
				      "复制后的日志头与源不同 / the copied journal's head differs from the source's");
	int64_t sf = fisc_store_fact_count(c->src), df = fisc_store_fact_count(c->dst);
	if (sf != df)
		return fisc_error_set(FISC_ESTORE,
				      "复制后的事实数 %lld 与源的 %lld 不同 / %lld facts copied, the source holds %lld",
				      (long long)df, (long long)sf, (long long)df, (long long)sf);
	return FISC_OK;
}

int fisc_store_copy(fisc_store *src, const char *to, fisc_copy_stats *stats)
{
	fisc_copy_stats unused;
	if (!stats)
		stats = &unused;
	memset(stats, 0, sizeof *stats);
	assert(!src->in_txn);
	int server = fisc_store_uri_is_server(to);
	const char *path = server ? NULL : file_path(to);
	char tmp[PATH_MAX];
	if (path && exists(path))
		return fisc_error_set(FISC_EEXIST, "目标「%s」已存在 / the destination '%s' exists", path,
				      path);
	/* One transaction on the source: the copy is of one instant, and the
	** source's journal must verify before anything is written. */
	src->snapshot = 1;
	int rc = fisc_store_begin(src);
	src->snapshot = 0;
	if (rc != FISC_OK)
		return rc;
	fisc_journal_report r;
	rc = fisc_journal_verify(src, &r);
	if (rc == FISC_OK && !r.ok)
		rc = fisc_error_set(FISC_ESTORE,
				    "源数据库的日志校验失败，不复制 / the source's journal does not verify; not copied: %s",
				    r.msg);
	fisc_store *dst = NULL;
	int have_tmp = 0;
	if (rc == FISC_OK && path)
		have_tmp = (rc = temp_beside(path, "copying", tmp, sizeof tmp)) == FISC_OK;
	if (rc == FISC_OK)
		rc = fisc_store_open_v2(server ? to : tmp, FISC_OPEN_CREATE | FISC_OPEN_BARE, &dst);
	if (rc == FISC_OK)
		rc = able(src, dst);
	if (rc == FISC_OK && server)
		rc = empty_dest(dst, to);
	copy_ctx c;
	memset(&c, 0, sizeof c);
	c.src = src;
	c.dst = dst;
	c.n = stats;
	if (rc == FISC_OK && !(c.batch = malloc(VBATCH * sizeof *c.batch)))
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	int began = 0;
	if (rc == FISC_OK)
		began = (rc = fisc_store_begin(dst)) == FISC_OK;
	if (rc == FISC_OK)
		rc = copy_all(&c);
	if (rc == FISC_OK)
		rc = check_arrival(&c);
	if (rc == FISC_OK)
		rc = fisc_store_commit(dst);
	else if (began) {
		/* Keep the first error's message over the rollback's. */
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", fisc_error_message());
		fisc_store_rollback(dst);
		fisc_error_set(rc, "%s", msg);
	}
	fisc_store_rollback(src);
	if (dst)
		fisc_store_close(dst);
	if (rc == FISC_OK && path)
		rc = link_into_place(tmp, path);
	if (have_tmp)
		unlink_store(tmp);
	drop_names(&c);
	free(c.names);
	free(c.years);
	free(c.batch);
	free(c.versions);
	fisc_arena_free(c.varena);
	free(c.regions.from);
	free(c.regions.to);
	free(c.users.from);
	free(c.users.to);
	return rc;
}
