/*
** state.h — the ledger as it is after a prefix of the journal: lines with
** their figures, payments, refunds and documents, all in memory.
**
** One code path decides every write: the engine encodes a request as the
** canonical bytes of a journal entry and hands them to lg_apply, which
** checks them against the state and applies them, or refuses and leaves the
** state untouched. Verify and the catch-up of a second process replay the
** stored journal through the same function, so what is checked at write
** time and what is recomputed at verify time cannot drift apart.
*/
#ifndef FISC_LEDGER_STATE_H
#define FISC_LEDGER_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "fisc/ledger.h"
#include "fisc/journal.h"
#include "fisc/arena.h"
#include "fisc/user.h"
#include "model/strmap.h"

typedef struct lg_line {
	fisc_quota_line l;   /* strings in the state's arena */
	const char *key;
	int64_t delta;       /* scratch of a document check */
	int touched;
} lg_line;

typedef struct lg_pay {
	fisc_payment p;
} lg_pay;

typedef struct lg_refund {
	fisc_refund r;
} lg_refund;

typedef struct lg_doc {
	const char *no;
	uint8_t digest[FISC_HASH_BYTES];
	int64_t nlines_before; /* to undo the lines it created */
} lg_doc;

typedef struct lg_state {
	fisc_arena *a;
	lg_line *lines;        /* lines[id - 1] */
	size_t nlines, cap;
	fisc_strmap line_by_key;
	fisc_strmap pay_by_key;
	lg_pay **pays;         /* every payment, in the order the journal created them */
	size_t npays, cappays;
	fisc_strmap refund_by_key;
	fisc_strmap doc_by_no;
	int64_t seq;           /* last journal entry applied */
	uint8_t head[FISC_HASH_BYTES];
} lg_state;

/* A growing byte buffer (canonical bytes). */
typedef struct lg_buf {
	uint8_t *p;
	size_t n, cap;
} lg_buf;

int lg_state_init(lg_state *s);
void lg_state_free(lg_state *s);

/* Canonical bytes of an entry (docs/ledger.md): each field as
** "<decimal length>:<bytes>,", first the format version "1", then the kind. */
int lg_encode_payment(lg_buf *b, const fisc_payment *p);
/* 'C' (with the date paid) or 'V' (date ignored). */
int lg_encode_transition(lg_buf *b, int kind, const char *key, int32_t date);
int lg_encode_refund(lg_buf *b, const fisc_refund *r);
int lg_encode_doc(lg_buf *b, const fisc_quota_doc *d);
int lg_encode_record(lg_buf *b, const char *tag, const void *payload, size_t n);
void lg_buf_free(lg_buf *b);
/* The payload of an event's journal record (tag "event"): its time, actor,
** address, action, target and outcome as canonical fields. */
int lg_event_payload(lg_buf *b, const fisc_event *e);
/* The canonical bytes that begin every event record. */
#define LG_EVENT_PREFIX "1:1,1:F,5:event,"

/* Check the entry against the state and apply it; on refusal the state is
** unchanged and the code and message say why. *line gets the (first) line
** it touched. */
int lg_apply(lg_state *s, const uint8_t *bytes, size_t n, int64_t *line);
/* Undo an applied document entry (the bytes given to lg_apply), newest
** first: the atomicity of a group of documents. */
void lg_undo_doc(lg_state *s, const uint8_t *bytes, size_t n);

/* Replay one stored journal entry: it must follow the state's head (seq and
** prev), hash to what it says and be accepted by lg_apply. On failure why
** says which (state unchanged). Advances seq and head. */
int lg_replay_entry(lg_state *s, const fisc_journal_entry *e, char *why, size_t cap);

/* Identity key of a line ("" fields as they are, separated by 0x1f). */
const char *lg_line_key(fisc_arena *a, const fisc_quota_line *l);
lg_line *lg_line_get(lg_state *s, int64_t id);
lg_pay *lg_pay_get(lg_state *s, const char *key);
lg_refund *lg_refund_get(lg_state *s, const char *key);
lg_doc *lg_doc_get(lg_state *s, const char *no);

/* The figures of a line: "指标 X 元，已支付 Y 元，在途 Z 元，可用 W 元" and
** "quota X, paid Y, pending Z, available W". */
void lg_line_figures(const fisc_quota_line *l, char *zh, char *en, size_t cap);

#endif
