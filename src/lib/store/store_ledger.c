/*
** store_ledger.c — the public store operations of the 指标 ledger and the
** journal (fisc/ledger.h, fisc/journal.h), forwarded through the backend's
** table like every other store call (store.c).
*/
#include <assert.h>
#include "fisc/error.h"
#include "store/backend.h"

int fisc_store_ledger_durable(fisc_store *st) { return st->vt->ledger_durable(st); }
int fisc_store_quota_line_put(fisc_store *st, const fisc_quota_line *l)
{
	assert(st->in_txn);
	return st->vt->quota_line_put(st, l);
}
int fisc_store_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			      int64_t pending)
{
	assert(st->in_txn);
	assert(paid >= 0 && pending >= 0 && paid + pending <= quota);
	return st->vt->quota_line_set(st, id, quota, paid, pending);
}
int fisc_store_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud)
{
	return st->vt->quota_line_each(st, cb, ud);
}
int fisc_store_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids)
{
	assert(st->in_txn);
	return st->vt->quota_doc_put(st, d, line_ids);
}
int fisc_store_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud)
{
	return st->vt->quota_leg_each(st, cb, ud);
}
int fisc_store_payment_put(fisc_store *st, const fisc_payment *p)
{
	assert(st->in_txn);
	return st->vt->payment_put(st, p);
}
int fisc_store_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud)
{
	return st->vt->payment_each(st, cb, ud);
}
int fisc_store_refund_put(fisc_store *st, const fisc_refund *r)
{
	assert(st->in_txn);
	return st->vt->refund_put(st, r);
}
int fisc_store_journal_put(fisc_store *st, const fisc_journal_entry *e)
{
	assert(st->in_txn);
	return st->vt->journal_put(st, e);
}
int fisc_store_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud)
{
	return st->vt->journal_each(st, after, cb, ud);
}
int fisc_store_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud)
{
	return st->vt->quota_rollup(st, year, cb, ud);
}
int fisc_store_journal_last(fisc_store *st, int64_t *seq, uint8_t hash[FISC_HASH_BYTES])
{
	return st->vt->journal_last(st, seq, hash);
}
int fisc_store_journal_lock(fisc_store *st)
{
	assert(st->in_txn);
	return st->vt->journal_lock ? st->vt->journal_lock(st) : FISC_OK;
}
