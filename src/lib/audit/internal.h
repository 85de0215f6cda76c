/*
** internal.h — what the stages of `fisc audit` share: the normalised
** document (reader.c), its tokens (lexer.c), contexts (context.c), the item
** vocabulary (lexicon.c), claims (claims.c, percent.c, table.c), their
** evaluation and the text-level checks (check.c), the rule-engine bridge
** (bridge.c) and the writers (write.c).
**
** Everything lives in one working arena per audit, but for the four big
** arrays (blocks, sentences, tokens, claims), which grow on the heap and are
** freed with it (au_doc_free); the results handed to the caller are copied
** into the caller's arena by audit.c.
*/
#ifndef FISC_AUDIT_INTERNAL_H
#define FISC_AUDIT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "fisc/arena.h"
#include "fisc/audit.h"
#include "fisc/money.h"

/* ---- growable arrays in an arena --------------------------------------- */

/* Room for one more element of `elem` bytes at the end of *v (length *n,
** capacity *cap); returns it zeroed and counts it. On exhaustion returns a
** scratch element and sets au_oom, so callers need no error paths: the audit
** reports FISC_ENOMEM at the end. */
void *au_push(fisc_arena *a, void **v, size_t *n, size_t *cap, size_t elem);
#define AU_VEC(T) struct { T *v; size_t n, cap; }
#define AU_PUSH(a, vec) \
	((__typeof__((vec).v))au_push((a), (void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v))
extern _Thread_local int au_oom;
/* The same for the document's big arrays (blocks, sentences, tokens,
** claims): these grow on the heap with realloc, which leaves no outgrown
** copies behind in the arena, and are freed by au_doc_free. */
void *au_push_heap(void **v, size_t *n, size_t *cap, size_t elem);
#define AU_PUSH_HEAP(vec) \
	((__typeof__((vec).v))au_push_heap((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v))

/* ---- the normalised document (reader.c) -------------------------------- */

/* Line-start markers: how a section heading or list item is numbered. */
enum {
	MK_NONE = 0,
	MK_PART,   /* 第一部分 */
	MK_CN,     /* 一、 */
	MK_PCN,    /* （一） */
	MK_NUM,    /* 1.  1、 */
	MK_PNUM,   /* （1） */
	MK_SHI,    /* 一是 */
	MK_DASH,   /* —— or a Markdown "- " */
	MK_GLOSS,  /* 【名词】 */
	MK_COUNT
};

enum { BK_TEXT = 1, BK_MDHEAD, BK_ROW };

/* Text a document reader (docx.c, html.c, pdf.c) builds for the audit:
** grown by doubling, always NUL-terminated; after a failed allocation every
** later put is dropped and oom stays set, so a reader checks once at the end. */
typedef struct au_text {
	char *out;
	size_t n, cap;
	int oom;
} au_text;

void au_text_put(au_text *t, const char *s, size_t n);

typedef struct au_block {
	int kind;            /* BK_* */
	size_t beg, end;     /* its text in d->s */
	size_t body;         /* where the text after the marker begins */
	int line, last_line; /* original lines */
	int marker, ordinal; /* MK_* and its number (一 = 1) */
	int md;              /* Markdown heading depth, 0 if none */
	int level;           /* section level (1 outermost), 0 = not a section */
	int heading_only;    /* a heading line with nothing after it */
	int ctx;             /* context in force: index into d->ctxs */
	int sent0, nsent;    /* its sentences in d->sents */
	size_t *cb, *ce;     /* BK_ROW: cells in d->s */
	int ncells;
} au_block;

/* What a passage speaks of. 0 / -1 = unknown. */
typedef struct au_ctx {
	int year;
	int book;            /* fisc_book, -1 unknown */
	int scope;           /* fisc_scope, 0 unknown */
	int phase;           /* fisc_phase, 0 unknown */
	int qual;            /* 1: 金库 view (a narrower total than 全区) */
} au_ctx;

/* Tokens: figures found in the text. */
enum { TK_AMOUNT = 1, TK_PERCENT, TK_YEAR, TK_PP };
enum {
	TF_APPROX = 1,    /* 约 … */
	TF_BOUND = 2,     /* 超 / 余 / 以上: a bound, not a value */
	TF_BARE = 4,      /* written without a unit (a bare 0) */
	TF_CELL = 8,      /* a table cell */
	TF_ETC = 16,      /* followed by 等: a list that may go on */
	TF_AFTER = 32,    /* followed by 后: closes an addition */
	TF_EQUAL = 64,    /* followed by 相等 */
	TF_WANYI = 128,   /* written in 万亿 (scaled to 亿元 by the lexer) */
	TF_YEARPRIOR = 256 /* the prior of a comparison because its label names an
			      earlier year than the figure before it */
};
/* Roles of an amount in its sentence. */
enum { R_PRINCIPAL = 0, R_CHANGE, R_PRIOR, R_BUDGET };
/* Connectives written before an amount. */
enum {
	CN_NONE = 0, CN_ADD, CN_SUB, CN_OF /* 其中 */, CN_INCL /* 包括 */,
	CN_CONTAIN /* 含 */, CN_MAINLY /* 主要是 */, CN_EACH /* 分别为 */
};

typedef struct au_tok {
	int kind;
	size_t beg, end;     /* figure with its unit, in d->s */
	int line;            /* line of its first digit */
	unsigned flags;      /* TF_* */
	fisc_amount amt;     /* TK_AMOUNT as written */
	fisc_amount eff;     /* the amount used in arithmetic (unit repaired) */
	int unit_fixed;      /* eff differs from amt: written unit is wrong */
	int64_t pv;          /* TK_PERCENT: value × 10^pdec */
	int pdec;
	int year;            /* TK_YEAR */
	int sent;            /* sentence, -1 for table cells */
	int depth;           /* bracket depth */
	/* analysis of an amount */
	int role, sign;      /* R_*, sign of a change */
	int conn;            /* CN_* */
	int total_kw;        /* the label names a total (合计, 总计 …) */
	const char *raw;     /* text from the previous figure (or clause) to it */
	const char *glabel;  /* the label as written (connective removed) */
	const char *label;   /* cleaned: brackets, years and verbs removed */
	const char *key;     /* label without scope words: for comparisons */
	const char *baselabel; /* "X收入加A、B等": X, named without a figure */
	int item;            /* lexicon index, -1 */
	au_ctx ctx;          /* context of the fact it states */
	int used;            /* part of a recognised claim */
	int ishead;          /* the total of a breakdown */
	int brhead;          /* the total of a bracketed breakdown */
	int ispart;          /* a part of some claim */
	int pin;             /* an input of a percentage that holds */
} au_tok;

typedef struct au_sent {
	size_t beg, end;     /* in d->s, without the terminator */
	int block;
	int tok0, ntok;      /* its tokens in d->toks */
	int term;            /* terminator: '.' for 。, 0 for none (cut off) */
	au_ctx ctx;          /* context of the sentence (subject or headings) */
	int year_explicit;   /* the subject names its year */
	int year_line;
} au_sent;

/* ---- claims -------------------------------------------------------------- */

enum {
	CK_SUM = 1,      /* total = Σ parts */
	CK_PARTIAL,      /* Σ parts ≤ total */
	CK_BALANCE,      /* base ± parts = total */
	CK_PERCENT,
	CK_TABLE,        /* a table's row or column sum, 收 = 支 */
	CK_DIFF,         /* a difference or running balance */
	CK_RESTATED      /* two statements of one quantity */
};
enum { PK_RATIO = 1, PK_GROWTH_PRIOR, PK_GROWTH_CHANGE, PK_EQUAL100,
       PK_POINTS /* "80%，比上年78%提高2个百分点": a − b = the points (pct: the TK_PP token) */ };
enum { REL_EQ = 0, REL_LE = 1 };
enum {
	BM_NONE = 0,
	BM_ADD,      /* "加上级补助收入等185亿元，收入总计311亿元": the book's own figure */
	BM_LABEL,    /* "区金库一般公共预算收入加…": the figure of the words before 加 */
	BM_INTRO,    /* "区级主要支出执行情况为：": the total an enumeration is of */
	BM_LIST      /* transfers only before 收入总计: own revenue if stated, else none */
};

typedef struct au_claim {
	int kind;            /* CK_* */
	const char *rule;
	int total;           /* token of the stated figure (-1: none) */
	int *parts, *signs;  /* tokens and signs (+1/-1) */
	int nparts, capparts;
	int tsign;           /* sign of the total (a decrease: -1) */
	int rel;             /* REL_EQ or REL_LE */
	int base_missing;    /* BM_*: a figure the claim needs that its sentence names
				without giving, to be found elsewhere in the text */
	int sent;            /* sentence quoted (-1: use block) */
	int block;
	int line;            /* line of the stated figure */
	/* percent claims */
	int pkind;           /* PK_* */
	int pct;             /* the percent token */
	int a, b;            /* inputs: RATIO a/b; GROWTH_PRIOR cur a, prior b;
				GROWTH_CHANGE cur a, change b */
	int neg;             /* the text says 下降 / 减少 */
	const char *whole;   /* a share of a whole the text does not state: its name */
	/* result */
	int verdict;
	int sev;             /* severity when reported, 0 = not reported */
	const char *stated, *computed, *expr;
	const char *zh, *en;
	const char *note_zh, *note_en; /* an extra remark (e.g. sign written wrong) */
	int warn_sign;       /* a use was written among additions */
	int bracket_diff;    /* an unmarked bracket of two: may be a difference */
	int soft;            /* a list that may only highlight items: short of its
				total is a warning, beyond it an error */
	int dup;             /* a duplicated part (index in parts), -1 */
	int guessed;         /* an input found by a weaker reading (a whole named by
				the end of its label): holding confirms it, failing
				says nothing */
} au_claim;

/* A finding before it is copied out. */
typedef struct au_find {
	const char *rule;
	int sev, line, sent, block;
	const char *text;
	const char *stated, *computed, *zh, *en;
	AU_VEC(int) lines;
} au_find;

/* ---- the audit --------------------------------------------------------- */

typedef struct au_doc {
	fisc_arena *w;       /* working memory */
	const char *path;
	int nlines;
	/* normalised stream: blocks of text separated by '\n' */
	char *s;
	size_t n, cap;
	/* original lines: s[segbeg[i]] up to the next segment comes from line
	** segline[i] (au_line_at) */
	size_t *segbeg;
	int *segline;
	size_t nseg, capseg;
	AU_VEC(au_block) blocks;
	AU_VEC(au_ctx) ctxs;
	AU_VEC(au_sent) sents;
	AU_VEC(au_tok) toks;
	size_t nlex;         /* tokens of the text, in text order (table cells follow) */
	/* au_fact_index: figures that may be facts sorted by key (once), the
	** facts among them, and figures with a label by label (once) */
	int *fsorted, *fidx, *lidx;
	uint64_t *lhash;     /* the hash of each lidx entry's label */
	void *bidx;          /* check.c: figures a balance may take its base from */
	size_t nbidx;
	size_t nfsorted, nfidx, nlidx;
	AU_VEC(au_claim) claims;
	AU_VEC(au_find) finds;
	/* the report */
	const char *kind;
	const char *title;
	int years[4], nyears;
	au_ctx title_ctx;
	size_t nfacts;
	int paged;           /* read from a paged form (a PDF, form feeds) */
	AU_VEC(int) blank_lines;   /* pages with nothing written: the line each begins on */
	AU_VEC(int) clipped_lines; /* pages whose text runs past the edge (pdf.c) */
	int rules_run;
	size_t rule_verdicts[3]; /* the rule engine's checks, by verdict */
} au_doc;

/* audit.c: a file's bytes as UTF-8 text. *text (malloc'ed, NUL-terminated,
** *len bytes) is replaced when converted: from GB18030/GBK or UTF-16 with
** iconv, from a Word document (docx.c), a web page (html.c) or a PDF (pdf.c).
** FISC_EIO with the reason for an unreadable PDF, an XLSX or other container, an old Office file, or bytes of no known text
** encoding. *text stays the caller's to free. */
int au_decode(const char *path, char **text, size_t *len);
/* docx.c: the text of a .docx held in buf (paragraphs as lines, table rows as
** tab-separated cells) into *text (malloc'ed). FISC_EIO with the reason for a
** damaged container, an XLSX workbook or a ZIP without a Word document. */
int au_docx_text(const char *path, const char *buf, size_t len, char **text, size_t *outlen);
/* html.c: does buf begin like a web page (<!DOCTYPE html>, <html> …)? */
int au_is_html(const char *buf, size_t len);
/* html.c: the text of a web page held in buf (blocks as lines, "#" marks for
** headings, table rows as tab-separated cells), decoded from its meta
** charset, into *text (malloc'ed). */
int au_html_text(const char *path, const char *buf, size_t len, char **text, size_t *outlen);
/* pdf.c: the text of a PDF held in buf (lines rebuilt by baseline, table
** cells separated by tabs, a form feed before every page after the first, a
** vertical tab at the start of a page whose text runs past its edge, an
** empty line for a page with no text)
** into *text (malloc'ed). FISC_EIO with the reason for a damaged or
** encrypted PDF or one without a text layer. */
int au_pdf_text(const char *path, const char *buf, size_t len, char **text, size_t *outlen);

/* reader.c */
int au_read(au_doc *d, const char *text, size_t len);
/* Free what the document holds outside its arena. */
void au_doc_free(au_doc *d);
/* The original line of the byte at pos in d->s. */
int au_line_at(const au_doc *d, size_t pos);
/* Codepoint at s (n bytes left) into *cp; returns its length (>= 1). */
size_t au_utf8_dec(const char *s, size_t n, uint32_t *cp);
int au_is_han(uint32_t cp);
/* The marker at the start of s (normalised text); *ord its number, *len its
** length in bytes. */
int au_marker(const char *s, size_t n, int *ord, size_t *len);
/* Value of a CJK numeral (一 … 九十九), 0 if none; *len bytes consumed. */
int au_cn_number(const char *s, size_t n, size_t *len);

/* lexer.c: sentences and tokens of every text block, table cells too. */
void au_lex(au_doc *d);
/* The block, or the sentence, whose text holds position pos of d->s; -1. */
int au_block_at(const au_doc *d, size_t pos);
int au_sent_at(const au_doc *d, size_t pos);
/* Index of the first text token at or after position pos (binary search). */
size_t au_tok_at(const au_doc *d, size_t pos);
/* A copy of d->s[beg, end) in the working arena. */
char *au_span(au_doc *d, size_t beg, size_t end);
/* s contains the NUL-terminated word w within [beg, end); where it first
** does ((size_t)-1: nowhere). */
int au_has(const char *s, size_t beg, size_t end, const char *w);
size_t au_find_word(const char *s, size_t beg, size_t end, const char *w);
int au_startswith(const char *s, const char *w);
int au_endswith(const char *s, const char *w);
/* Format an amount: written form ("174666万元"), or fen in a unit with decimals. */
const char *au_amt(au_doc *d, const fisc_amount *a);
const char *au_fen(au_doc *d, fisc_fen fen, int unit, int decimals);

/* context.c */
void au_context(au_doc *d);
/* Fill ctx fields that are unknown from the words in s[beg, end). */
void au_ctx_words(const char *s, size_t beg, size_t end, au_ctx *c, int headings);
int au_scope_word(const char *s, size_t beg, size_t end);
/* Length of the scope word s[0, n) begins with (全区, 省本级, 市县级 …), 0 if none. */
size_t au_scope_prefix(const char *s, size_t n);
int au_book_word(const char *s, size_t beg, size_t end);

/* lexicon.c */
enum { SIDE_STOCK = 0, SIDE_IN = 1, SIDE_OUT = -1 };
int au_lex_item(const char *label);           /* index, -1 */
int au_lex_item_in(const char *text);         /* the same, named anywhere in text */
/* The one year a label names ("2017年末…余额", "2015年预算"), 0 if none or several. */
int au_label_year(const char *l);
const char *au_item_id(int item);             /* line id / code ("upper_subsidy") */
const char *au_item_zh(int item);
int au_item_side(int item);
int au_label_side(const char *label, int item);
/* A label without brackets, years and verbs (and, with strip_scope, without
** the scope words 全区 / 区级 / 本级 …). */
const char *au_label_clean(au_doc *d, const char *raw, int strip_scope);
/* The book an item's own words assign it (一般债务 → gpb), or -2. */
int au_item_book(int item, const char *label);

/* claims.c, percent.c, table.c */
/* Is token k a figure of the right kind to be summed (an amount, a value). */
int au_is_value(const au_doc *d, int k);
void au_lex_cell(au_doc *d, size_t beg, size_t end, int unit);
void au_claims(au_doc *d);
void au_percents(au_doc *d);
void au_tables(au_doc *d);
au_claim *au_claim_new(au_doc *d, int kind, const char *rule);
void au_claim_part(au_doc *d, au_claim *c, int tok, int sign);
/* Token → the claims `keep` accepts that list it as a part (and as their
** total when with_total): claims[off[tok] .. off[tok + 1]), in claim order.
** In the document's working arena; off is NULL when out of memory. */
typedef struct au_tokix {
	int *off, *claims;
} au_tokix;
void au_tokix_build(au_doc *d, au_tokix *x, int (*keep)(const au_claim *), int with_total);
/* A recorded fact of the document with the same key as t, other than t
** itself; prefer the earliest. -1 if none. */
int au_fact_find(au_doc *d, const au_ctx *c, unsigned phases, int item, int except);
/* The tokens whose cleaned label equals `label`, in context year `year`:
** returns the one value they all agree on, or -1. */
int au_fact_by_label(au_doc *d, const char *label, int year, int except);
int au_fact_ok(const au_tok *t);
/* (Re)build the index au_fact_find searches; the first call also builds the
** one au_fact_by_label searches (labels are final after au_tables). */
void au_fact_index(au_doc *d);

/* check.c */
void au_evaluate(au_doc *d);
void au_check_restated(au_doc *d);
int au_government_kind(const au_doc *d);
void au_check_units(au_doc *d);
void au_check_dups(au_doc *d);
void au_check_years(au_doc *d);
void au_check_sections(au_doc *d);
void au_check_terms(au_doc *d);
void au_check_shares(au_doc *d);
void au_check_budget_gap(au_doc *d);
au_find *au_find_new(au_doc *d, const char *rule, int sev, int line, int sent, int block);
const char *au_sent_text(au_doc *d, int sent, int block);

/* disclosure.c: the standard tables of a 部门预算 / 单位预算 / 部门决算
** read from a paged document and their checks; au_disclosure_kind is 0 for
** any other document (whose outline au_check_sections checks). */
int au_disclosure_kind(const au_doc *d);
void au_disclosure(au_doc *d);
/* FISC_AUDIT_DEBUG_TABLES=1: the tables as read, on stderr. */
void au_disclosure_dump(au_doc *d);
/* annotate.c: the "html" form of fisc_audit_write. */
int au_write_html(fisc_audit_report *const *reps, size_t n, FILE *out);

/* bridge.c: run the rule engine on the extracted facts. */
int au_bridge(au_doc *d, const char *datadir);

#endif
