/*
** annotate.c — an audit shown on its document: `fisc audit --format html`
** (the text audited, every figure a claim involves marked by its verdict,
** the findings beside their lines) and `fisc audit X.pdf --annotate OUT.pdf`
** (the PDF itself with a highlight annotation over each such figure).
**
** Both start from the same marks: each figure of each claim (its line, its
** digits and which figure with those digits on the line it is), coloured by
** the worst verdict of the claims and findings that name it — green holds,
** amber holds only within rounding or cannot be decided (an ambiguous
** reading, a warning), red an error. Colour is never the only sign: the HTML
** carries an icon and a word with each mark, the PDF note says it in words.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include "audit/internal.h"
#include "fisc/error.h"

enum { ST_NONE = 0, ST_OK = 1, ST_AMBER = 2, ST_RED = 3 };

typedef struct mark {
	int line, nth;      /* nth 0: every figure with these digits on the line */
	char digits[48];
	int st;
	const char *zh, *en; /* why, for the note */
} mark;

typedef struct marks {
	mark *v;
	size_t n, cap;
	int oom;
} marks;

static int is_d(char c) { return c >= '0' && c <= '9'; }

static void add_mark(marks *m, int line, int nth, const char *digits, int st, const char *zh,
		     const char *en)
{
	if (!digits || !*digits)
		return;
	for (size_t i = 0; i < m->n; i++) {
		mark *k = &m->v[i];
		if (k->line == line && k->nth == nth && !strcmp(k->digits, digits)) {
			if (st > k->st) { /* the worst verdict and its reason */
				k->st = st;
				k->zh = zh;
				k->en = en;
			}
			return;
		}
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		mark *v = realloc(m->v, cap * sizeof *v);
		if (!v) {
			m->oom = 1;
			return;
		}
		m->v = v;
		m->cap = cap;
	}
	mark *k = &m->v[m->n++];
	k->line = line;
	k->nth = nth;
	snprintf(k->digits, sizeof k->digits, "%s", digits);
	k->st = st;
	k->zh = zh;
	k->en = en;
}

/* The digits of a stated figure ("139542万元" → "139542"). */
static void stated_digits(const char *s, char *out, size_t cap)
{
	size_t m = 0;
	for (; s && *s && m + 1 < cap; s++) {
		if (is_d(*s) || *s == '.')
			out[m++] = *s;
		else if (*s != ',' && *s != '-')
			break;
	}
	while (m && out[m - 1] == '.')
		m--;
	out[m] = 0;
}

static int by_line(const void *a, const void *b)
{
	const mark *p = a, *q = b;
	return p->line != q->line ? (p->line < q->line ? -1 : 1) : 0;
}

/* Every figure of every claim, then every finding's stated figure. */
static void build_marks(const fisc_audit_report *r, marks *m)
{
	for (size_t i = 0; i < r->nclaims; i++) {
		const fisc_audit_claim *c = &r->claims[i];
		int st = c->verdict == FISC_AUDIT_EXACT ? ST_OK : c->verdict == FISC_AUDIT_FAILED ? ST_RED : ST_AMBER;
		const char *zh = c->verdict == FISC_AUDIT_EXACT ? "核对一致" :
				 c->verdict == FISC_AUDIT_WITHIN ? "在四舍五入范围内成立" :
				 c->verdict == FISC_AUDIT_FAILED ? "不符" : "无法核对（文中未给出所需数字）";
		const char *en = fisc_audit_verdict_code(c->verdict);
		if (c->verdict == FISC_AUDIT_FAILED) {
			/* as severe as the finding that reports it: a list that may be
			** partial, or a reading in doubt, is a warning */
			st = ST_AMBER;
			for (size_t k = 0; k < r->nfindings; k++) {
				const fisc_audit_finding *f = &r->findings[k];
				if (f->line == c->line && f->stated && c->stated && !strcmp(f->stated, c->stated)) {
					st = f->severity == FISC_AUDIT_ERROR ? ST_RED : ST_AMBER;
					zh = f->message_zh;
					en = f->message_en;
					break;
				}
			}
		}
		for (size_t k = 0; k < c->nfigures; k++)
			add_mark(m, c->figures[k].line, c->figures[k].nth, c->figures[k].digits, st, zh, en);
	}
	for (size_t k = 0; k < r->nfindings; k++) {
		const fisc_audit_finding *f = &r->findings[k];
		char dig[48];
		stated_digits(f->stated, dig, sizeof dig);
		int st = f->severity == FISC_AUDIT_ERROR ? ST_RED : ST_AMBER;
		add_mark(m, f->line, 0, dig, st, f->message_zh, f->message_en);
	}
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, by_line);
}

/* The mark of the nth figure with these digits on a line, among marks[b, e). */
static const mark *mark_of(const marks *m, size_t b, size_t e, const char *digits, int nth)
{
	const mark *best = NULL;
	for (size_t i = b; i < e; i++) {
		const mark *k = &m->v[i];
		if ((k->nth == nth || k->nth == 0) && !strcmp(k->digits, digits) && (!best || k->st > best->st))
			best = k;
	}
	return best;
}

/* ---- HTML ------------------------------------------------------------------- */

static void esc(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\t')
			fputs("    ", out);
		else if (c == '\f' || c == '\r')
			;
		else
			fputc(c, out);
	}
}

static const char *const st_class[] = {"", "ok", "amber", "red"};
static const char *const st_icon[] = {"", "✓", "≈", "✗"};
static const char *const st_word[] = {"", "成立", "存疑", "错误"};

static void html_line(FILE *out, const marks *m, size_t b, size_t e, const char *ls, size_t len)
{
	char seen[64][48];
	int nseen = 0;
	size_t from = 0;
	for (size_t i = 0; i < len;) {
		if (!is_d(ls[i]) || (i && (is_d(ls[i - 1]) || ls[i - 1] == ',' || ls[i - 1] == '.'))) {
			i++;
			continue;
		}
		size_t j = i;
		char dig[48];
		size_t n = 0;
		while (j < len && (is_d(ls[j]) || ((ls[j] == ',' || ls[j] == '.') && j + 1 < len && is_d(ls[j + 1])))) {
			if (ls[j] != ',' && n + 1 < sizeof dig)
				dig[n++] = ls[j];
			j++;
		}
		dig[n] = 0;
		int nth = 1;
		for (int q = 0; q < nseen; q++)
			nth += !strcmp(seen[q], dig);
		if (nseen < 64)
			snprintf(seen[nseen++], sizeof seen[0], "%s", dig);
		const mark *k = b < e ? mark_of(m, b, e, dig, nth) : NULL;
		if (k) {
			esc(out, ls + from, i - from);
			fprintf(out, "<mark class=\"%s\" title=\"%s：", st_class[k->st], st_word[k->st]);
			esc(out, k->zh ? k->zh : "", k->zh ? strlen(k->zh) : 0);
			fputs(" / ", out);
			esc(out, k->en ? k->en : "", k->en ? strlen(k->en) : 0);
			fputs("\">", out);
			esc(out, ls + i, j - i);
			fprintf(out, "<span class=\"icon\" aria-label=\"%s\">%s</span></mark>", st_word[k->st],
				st_icon[k->st]);
			from = j;
		}
		i = j;
	}
	esc(out, ls + from, len - from);
}

static void write_html_one(const fisc_audit_report *r, const marks *m, FILE *out)
{
	fputs("<section class=\"file\">\n<h1>", out);
	esc(out, r->path, strlen(r->path));
	fputs("</h1>\n", out);
	const fisc_audit_checks *c = &r->checks;
	fprintf(out, "<p class=\"sum\">检查 %zu 项：一致 %zu，舍入范围内 %zu，不符 %zu，无法核对 %zu；"
		     "错误 %zu，警告 %zu，提示 %zu / %zu checks: %zu exact, %zu within rounding, %zu failed, "
		     "%zu unverifiable; %zu errors, %zu warnings, %zu infos</p>\n",
		c->total, c->exact, c->within_rounding, c->failed, c->unverifiable, r->errors, r->warnings,
		r->infos, c->total, c->exact, c->within_rounding, c->failed, c->unverifiable, r->errors,
		r->warnings, r->infos);
	fputs("<div class=\"doc\">\n", out);
	const char *s = r->source ? r->source : "";
	size_t len = r->source ? r->source_len : 0, mi = 0, fi = 0;
	int line = 1;
	for (size_t p = 0; p <= len;) {
		const char *le = memchr(s + p, '\n', len - p);
		size_t e = le ? (size_t)(le - s) : len;
		while (mi < m->n && m->v[mi].line < line)
			mi++;
		size_t me = mi;
		while (me < m->n && m->v[me].line == line)
			me++;
		fprintf(out, "<div class=\"ln\" id=\"L%d\"><span class=\"no\">%d</span><span class=\"tx\">", line,
			line);
		html_line(out, m, mi, me, s + p, e - p);
		fputs("</span></div>\n", out);
		/* the findings of this line, beside it */
		while (fi < r->nfindings && r->findings[fi].line < line)
			fi++;
		for (; fi < r->nfindings && r->findings[fi].line == line; fi++) {
			const fisc_audit_finding *f = &r->findings[fi];
			int st = f->severity == FISC_AUDIT_ERROR ? ST_RED : f->severity == FISC_AUDIT_WARNING ? ST_AMBER : ST_OK;
			const char *sev = f->severity == FISC_AUDIT_ERROR ? "错误 error" :
					  f->severity == FISC_AUDIT_WARNING ? "警告 warning" : "提示 info";
			fprintf(out, "<aside class=\"%s\"><span class=\"icon\">%s</span> <b>%s</b> [", st_class[st],
				st == ST_OK ? "ℹ" : st_icon[st], sev);
			esc(out, f->rule, strlen(f->rule));
			fputs("] ", out);
			if (f->stated) {
				fputs("表述 stated: ", out);
				esc(out, f->stated, strlen(f->stated));
				if (f->computed) {
					fputs("，应为 should be: ", out);
					esc(out, f->computed, strlen(f->computed));
				}
				fputs("。", out);
			}
			esc(out, f->message_zh, strlen(f->message_zh));
			fputs("<br>", out);
			esc(out, f->message_en, strlen(f->message_en));
			fputs("</aside>\n", out);
		}
		if (!le)
			break;
		p = e + 1;
		line++;
	}
	fputs("</div>\n</section>\n", out);
}

int au_write_html(fisc_audit_report *const *reps, size_t n, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	      "<title>fisc audit</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em 2em;line-height:1.6}\n"
	      ".doc{font-family:monospace;white-space:pre-wrap}\n"
	      ".ln{display:flex}.no{color:#777;min-width:4em;text-align:right;padding-right:1em;user-select:none}\n"
	      "mark{padding:0 .1em;border-radius:.2em}\n"
	      "mark.ok{background:#c8f0c8;border-bottom:2px solid #1a7f1a}\n"
	      "mark.amber{background:#ffe6a8;border-bottom:2px dashed #a36b00}\n"
	      "mark.red{background:#ffc4c4;border-bottom:3px double #b00000}\n"
	      ".icon{font-size:.75em;vertical-align:super;margin-left:.1em}\n"
	      "aside{margin:.2em 0 .6em 5em;padding:.3em .6em;font-family:sans-serif;white-space:normal;border-left:4px solid}\n"
	      "aside.red{border-color:#b00000;background:#fff0f0}aside.amber{border-color:#a36b00;background:#fff8e6}"
	      "aside.ok{border-color:#1a7f1a;background:#f0fff0}\n"
	      ".legend span{margin-right:1.5em}\n"
	      "</style></head><body>\n"
	      "<p class=\"legend\"><span><mark class=\"ok\">123<span class=\"icon\">✓</span></mark> 核对成立 holds</span>"
	      "<span><mark class=\"amber\">123<span class=\"icon\">≈</span></mark> 舍入范围内或存疑 within rounding or ambiguous</span>"
	      "<span><mark class=\"red\">123<span class=\"icon\">✗</span></mark> 错误 error</span></p>\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		marks m = {0};
		build_marks(reps[i], &m);
		if (m.oom) {
			free(m.v);
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		}
		write_html_one(reps[i], &m, out);
		free(m.v);
	}
	fputs("</body></html>\n", out);
	return ferror(out) ? fisc_error_set(FISC_EIO, "写入失败 / write failed") : FISC_OK;
}

/* ---- PDF --------------------------------------------------------------------- */

typedef struct pglyph {
	fz_quad q;
	float x, x1, y, size;
	int c;
} pglyph;

/* Two glyphs of one figure: no visible gap between them (the digits of
** adjacent table cells share a baseline, as pdf.c knows). */
static int joined(const pglyph *p, const pglyph *g)
{
	float em = p->size > g->size ? p->size : g->size;
	return g->y == p->y && g->x - p->x1 <= 0.15f * (em < 1 ? 1 : em);
}

static int pg_by_y(const void *a, const void *b)
{
	const pglyph *p = a, *q = b;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return p->x < q->x ? -1 : p->x > q->x;
}

static void quiet(void *user, const char *msg)
{
	(void)user;
	(void)msg;
}

/* Figures of one page in reading order: each with the mark it gets. In the
** text read, the k-th figure with given digits on a page is the k-th one of
** the page's glyphs in the same order (lines by baseline, then by x). */
typedef struct pfig {
	char digits[48];
	const mark *mk;
} pfig;

int fisc_audit_annotate_pdf(const fisc_audit_report *r, const char *pdf_in, const char *pdf_out)
{
	if (!r || !r->source || !pdf_in || !pdf_out)
		return fisc_error_set(FISC_EINVAL, "参数无效 / invalid arguments");
	marks m = {0};
	build_marks(r, &m);
	if (m.oom) {
		free(m.v);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	/* the figures of the text read, page by page, with their marks */
	pfig *figs = NULL;
	size_t nfigs = 0, capfigs = 0;
	int *fig_page = NULL;
	{
		const char *s = r->source;
		size_t len = r->source_len, mi = 0;
		int line = 1, page = 1;
		for (size_t p = 0; p <= len;) {
			const char *le = memchr(s + p, '\n', len - p);
			size_t e = le ? (size_t)(le - s) : len;
			if (memchr(s + p, '\f', e - p))
				page++;
			while (mi < m.n && m.v[mi].line < line)
				mi++;
			size_t me = mi;
			while (me < m.n && m.v[me].line == line)
				me++;
			char seen[64][48];
			int nseen = 0;
			const char *ls = s + p;
			size_t n = e - p;
			for (size_t i = 0; i < n;) {
				if (!is_d(ls[i]) || (i && (is_d(ls[i - 1]) || ls[i - 1] == ',' || ls[i - 1] == '.'))) {
					i++;
					continue;
				}
				size_t j = i, k = 0;
				char dig[48];
				while (j < n && (is_d(ls[j]) || ((ls[j] == ',' || ls[j] == '.') && j + 1 < n && is_d(ls[j + 1])))) {
					if (ls[j] != ',' && k + 1 < sizeof dig)
						dig[k++] = ls[j];
					j++;
				}
				dig[k] = 0;
				int nth = 1;
				for (int q = 0; q < nseen; q++)
					nth += !strcmp(seen[q], dig);
				if (nseen < 64)
					snprintf(seen[nseen++], sizeof seen[0], "%s", dig);
				if (nfigs == capfigs) {
					capfigs = capfigs ? 2 * capfigs : 256;
					pfig *v = realloc(figs, capfigs * sizeof *v);
					int *pg = realloc(fig_page, capfigs * sizeof *pg);
					if (!v || !pg) {
						free(v ? v : figs);
						free(pg ? pg : fig_page);
						free(m.v);
						return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
					}
					figs = v;
					fig_page = pg;
				}
				snprintf(figs[nfigs].digits, sizeof figs[nfigs].digits, "%s", dig);
				figs[nfigs].mk = mi < me ? mark_of(&m, mi, me, dig, nth) : NULL;
				fig_page[nfigs++] = page;
				i = j;
			}
			if (!le)
				break;
			p = e + 1;
			line++;
		}
	}

	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx) {
		free(figs);
		free(fig_page);
		free(m.v);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	fz_set_error_callback(ctx, quiet, NULL);
	fz_set_warning_callback(ctx, quiet, NULL);
	pdf_document *volatile doc = NULL;
	pdf_page *volatile page = NULL;
	fz_stext_page *volatile st = NULL;
	pglyph *volatile gl = NULL;
	volatile int failed = 0;
	char why[256] = "";
	static const float rgb[4][3] = {{0, 0, 0}, {0.2f, 0.8f, 0.2f}, {1.0f, 0.75f, 0.0f}, {1.0f, 0.2f, 0.2f}};
	static const char *const head[4] = {"", "✓ 成立 holds", "≈ 存疑 within rounding or ambiguous",
					    "✗ 错误 error"};
	fz_try(ctx) {
		doc = pdf_open_document(ctx, pdf_in);
		int npages = pdf_count_pages(ctx, doc);
		size_t fi = 0;
		for (int pn = 0; pn < npages; pn++) {
			size_t f0 = fi;
			while (fi < nfigs && fig_page[fi] == pn + 1)
				fi++;
			if (f0 == fi)
				continue;
			page = pdf_load_page(ctx, doc, pn);
			fz_stext_options so = {0};
			st = fz_new_stext_page_from_page(ctx, (fz_page *)page, &so);
			size_t ng = 0, capg = 0;
			for (fz_stext_block *b = st->first_block; b; b = b->next) {
				if (b->type != FZ_STEXT_BLOCK_TEXT)
					continue;
				for (fz_stext_line *l = b->u.t.first_line; l; l = l->next)
					for (fz_stext_char *ch = l->first_char; ch; ch = ch->next) {
						if (ch->c == ' ' || ch->c == 0xA0 || ch->c == 0x3000)
							continue;
						if (ng == capg) {
							capg = capg ? 2 * capg : 1024;
							pglyph *v = realloc((pglyph *)gl, capg * sizeof *v);
							if (!v)
								fz_throw(ctx, FZ_ERROR_GENERIC, "out of memory");
							gl = v;
						}
						gl[ng].q = ch->quad;
						gl[ng].x = ch->quad.ll.x;
						gl[ng].x1 = ch->quad.lr.x;
						gl[ng].y = ch->origin.y;
						gl[ng].size = ch->size;
						gl[ng].c = ch->c;
						ng++;
					}
			}
			qsort((pglyph *)gl, ng, sizeof *gl, pg_by_y);
			/* the page's figures in that order, matched to the text's */
			size_t next = f0;
			for (size_t i = 0; i < ng && next < fi;) {
				if (!(gl[i].c >= '0' && gl[i].c <= '9')) {
					i++;
					continue;
				}
				size_t j = i, k = 0;
				char dig[48];
				while (j < ng && (j == i || joined(&gl[j - 1], &gl[j])) &&
				       ((gl[j].c >= '0' && gl[j].c <= '9') ||
					((gl[j].c == ',' || gl[j].c == '.') && j + 1 < ng && joined(&gl[j], &gl[j + 1]) &&
					 gl[j + 1].c >= '0' && gl[j + 1].c <= '9'))) {
					if (gl[j].c != ',' && k + 1 < sizeof dig)
						dig[k++] = (char)gl[j].c;
					j++;
				}
				dig[k] = 0;
				/* the next figure of the text with these digits, close
				** ahead: a run the text does not have (a page number, a
				** figure split otherwise) must not skip the rest */
				size_t q = next;
				while (q < fi && q < next + 16 && strcmp(figs[q].digits, dig))
					q++;
				if (q == next + 16)
					q = fi;
				if (q < fi) {
					next = q + 1;
					const mark *mk = figs[q].mk;
					if (mk && mk->st) {
						pdf_annot *an = pdf_create_annot(ctx, page, PDF_ANNOT_HIGHLIGHT);
						/* one quad over the figure's glyphs */
						fz_rect box = fz_empty_rect;
						for (size_t g = i; g < j; g++)
							box = fz_union_rect(box, fz_rect_from_quad(gl[g].q));
						fz_quad qv = fz_quad_from_rect(box);
						pdf_set_annot_quad_points(ctx, an, 1, &qv);
						pdf_set_annot_color(ctx, an, 3, rgb[mk->st]);
						char note[2048];
						snprintf(note, sizeof note, "%s\n%s\n%s", head[mk->st], mk->zh ? mk->zh : "",
							 mk->en ? mk->en : "");
						pdf_set_annot_contents(ctx, an, note);
						pdf_update_annot(ctx, an);
						pdf_drop_annot(ctx, an);
					}
				}
				i = j;
			}
			fz_drop_stext_page(ctx, st);
			st = NULL;
			fz_drop_page(ctx, (fz_page *)page);
			page = NULL;
		}
		pdf_write_options wo = pdf_default_write_options;
		pdf_save_document(ctx, doc, pdf_out, &wo);
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_page(ctx, (fz_page *)page);
		pdf_drop_document(ctx, doc);
	}
	fz_catch(ctx) {
		failed = 1;
		snprintf(why, sizeof why, "%s", fz_caught_message(ctx));
	}
	fz_drop_context(ctx);
	free((pglyph *)gl);
	free(figs);
	free(fig_page);
	free(m.v);
	if (failed)
		return fisc_error_set(FISC_EIO, "无法标注 %s → %s：%s / cannot annotate %s → %s: %s", pdf_in,
				      pdf_out, why, pdf_in, pdf_out, why);
	return FISC_OK;
}
