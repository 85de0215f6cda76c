/*
** fisc/journal.h — the one append-only, tamper-evident journal of ledger
** writes (指标 documents, payment events).
**
** Entry n stores its canonical bytes (docs/ledger.md gives the format) and
** hash(n) = SHA-256(hash(n-1) ‖ bytes(n)), hash(0) = 32 zero bytes. The head
** hash, published, pins the whole history: changing, removing, inserting or
** reordering any entry changes it, and `fisc journal verify` finds the first
** entry where the stored chain or the stored balances disagree with a
** recomputation.
*/
#ifndef FISC_JOURNAL_H
#define FISC_JOURNAL_H

#include "export.h"

#include <stddef.h>
#include <stdint.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { FISC_HASH_BYTES = 32 };

typedef struct fisc_journal_entry {
	int64_t seq;                     /* 1, 2, 3 … */
	uint8_t prev[FISC_HASH_BYTES];   /* hash of entry seq-1 */
	uint8_t hash[FISC_HASH_BYTES];   /* SHA-256(prev ‖ bytes) */
	const uint8_t *bytes;            /* canonical bytes */
	size_t n;
} fisc_journal_entry;

/* out = SHA-256(prev ‖ bytes). */
FISC_API void fisc_journal_hash(const uint8_t prev[FISC_HASH_BYTES], const void *bytes, size_t n,
		       uint8_t out[FISC_HASH_BYTES]);
/* out = SHA-256(bytes) (a file's digest). */
FISC_API void fisc_sha256(const void *bytes, size_t n, uint8_t out[FISC_HASH_BYTES]);
/* 64 lowercase hex digits and a NUL. */
FISC_API void fisc_journal_hex(const uint8_t h[FISC_HASH_BYTES], char out[2 * FISC_HASH_BYTES + 1]);

/* Store operations. put appends one entry (inside a transaction); each
** walks the entries with seq > after in seq order (the row order of the
** table, whatever the stored seq says: verify must see a reordering). */
typedef int (*fisc_journal_cb)(void *ud, const fisc_journal_entry *e);
FISC_API int fisc_store_journal_put(fisc_store *st, const fisc_journal_entry *e);
FISC_API int fisc_store_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud);
/* Seq and stored hash of the last entry (0 and zeros when empty). */
FISC_API int fisc_store_journal_last(fisc_store *st, int64_t *seq, uint8_t hash[FISC_HASH_BYTES]);

/* Append a record of another write (a fact import, an amendment) to the
** journal, inside the caller's transaction on st: an entry of kind 'F'
** whose fields are `tag` (what kind of write, e.g. "import") and `payload`
** (its canonical description, e.g. the file's SHA-256 and fact ids). It is
** chained and verified like every entry and changes no ledger balance; the
** engine of any process skips over it. *seq gets its number (may be NULL). */
FISC_API int fisc_journal_append(fisc_store *st, const char *tag, const void *payload, size_t n,
			int64_t *seq);

typedef struct fisc_journal_report {
	int ok;                 /* 1: chain and balances agree */
	int64_t entries;        /* entries read */
	int64_t bad_seq;        /* first entry that disagrees (0: none, or the tables) */
	uint8_t head[FISC_HASH_BYTES];
	char msg[1024];         /* what disagrees, "中文 / English" */
} fisc_journal_report;

/* Recompute the chain and every line balance and payment from the journal
** and compare them with the stored entries and tables. Returns FISC_OK when
** it could read the store (r->ok says whether they agree). */
FISC_API int fisc_journal_verify(fisc_store *st, fisc_journal_report *r);
/* Seq and hash of the last entry (0 and zeros for an empty journal). */
FISC_API int fisc_journal_head(fisc_store *st, int64_t *seq, uint8_t hash[FISC_HASH_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
