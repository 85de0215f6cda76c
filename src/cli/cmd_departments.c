/*
** cmd_departments.c — `fisc departments [--region R] [--year Y]`: the
** departments the stored facts name (their `dept` field), with the code when
** the name carries one, the region and the years; and the matching of a
** --department argument against them: the exact name, the code, or a unique
** prefix, else the closest names.
**
** A department has no table of its own: it is the text of the facts' dept
** field, which budget systems often export with the unit code in front
** ("101001 北碚区财政局", "[101001]北碚区财政局"). That leading code is read
** as the department's code. The facts are walked with fisc_store_fact_scan,
** which hands each distinct text over once, so a store of millions of facts
** is read without a string comparison per fact.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define Y0 1949
#define NY (2200 - Y0 + 1)

typedef struct dept {
	int64_t region;
	uint32_t text; /* string id of the dept field */
	const char *full, *code, *name, *region_name;
	unsigned char years[(NY + 7) / 8];
} dept;

typedef struct depts {
	fisc_arena *a;
	char **text; /* by string id */
	size_t ntext;
	dept *v;
	size_t n, cap;
	size_t *slot; /* open addressing on (region, text): index + 1 */
	size_t nslot;
	int rc;
} depts;

static int keep_text(void *ud, uint32_t id, const char *s, size_t n)
{
	depts *d = ud;
	if (id >= d->ntext) {
		size_t cap = d->ntext ? d->ntext : 1024;
		while (cap <= id)
			cap *= 2;
		char **t = realloc(d->text, cap * sizeof *t);
		if (!t)
			return d->rc = FISC_ENOMEM;
		memset(t + d->ntext, 0, (cap - d->ntext) * sizeof *t);
		d->text = t;
		d->ntext = cap;
	}
	/* Every text is kept, each once; which are departments shows later. */
	char *c = fisc_arena_alloc(d->a, n + 1);
	if (!c)
		return d->rc = FISC_ENOMEM;
	memcpy(c, s, n);
	c[n] = 0;
	d->text[id] = c;
	return 0;
}

static size_t hash(int64_t region, uint32_t text)
{
	uint64_t h = (uint64_t)region * 0x9E3779B97F4A7C15u ^ text * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(h ^ h >> 29);
}

static int grow_slots(depts *d)
{
	size_t n = d->nslot ? d->nslot * 2 : 256;
	size_t *s = calloc(n, sizeof *s);
	if (!s)
		return FISC_ENOMEM;
	for (size_t i = 0; i < d->n; i++) {
		size_t h = hash(d->v[i].region, d->v[i].text) & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = i + 1;
	}
	free(d->slot);
	d->slot = s;
	d->nslot = n;
	return FISC_OK;
}

static int keep_fact(void *ud, const fisc_fact_ids *f)
{
	depts *d = ud;
	if (!f->dept || f->year < Y0 || f->year - Y0 >= NY)
		return 0;
	if (2 * (d->n + 1) > d->nslot && grow_slots(d) != FISC_OK)
		return d->rc = FISC_ENOMEM;
	size_t h = hash(f->region, f->dept) & (d->nslot - 1);
	while (d->slot[h] && (d->v[d->slot[h] - 1].region != f->region ||
			      d->v[d->slot[h] - 1].text != f->dept))
		h = (h + 1) & (d->nslot - 1);
	if (!d->slot[h]) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 64;
			dept *v = realloc(d->v, cap * sizeof *v);
			if (!v)
				return d->rc = FISC_ENOMEM;
			d->v = v;
			d->cap = cap;
		}
		memset(&d->v[d->n], 0, sizeof *d->v);
		d->v[d->n].region = f->region;
		d->v[d->n].text = f->dept;
		d->slot[h] = ++d->n;
	}
	int y = f->year - Y0;
	d->v[d->slot[h] - 1].years[y / 8] |= (unsigned char)(1u << (y % 8));
	return 0;
}

/* Split "101001 北碚区财政局", "101001-…", "[101001]…", "【101001】…" into code
** and name; a name without a leading code has none (""). */
static void split_code(fisc_arena *a, const char *full, const char **code, const char **name)
{
	const char *p = full, *close = NULL;
	if (*p == '[' || *p == '(')
		close = *p == '[' ? "]" : ")", p++;
	else if (!strncmp(p, "【", 3))
		close = "】", p += 3;
	size_t digits = strspn(p, "0123456789");
	const char *rest = p + digits;
	int sep = 0;
	if (digits >= 3 && digits <= 20) {
		if (close && !strncmp(rest, close, strlen(close)))
			rest += strlen(close), sep = 1;
		else if (!close && (*rest == ' ' || *rest == '-' || *rest == '_' || *rest == '\t'))
			rest++, sep = 1;
		else if (!close && !strncmp(rest, "　", 3))
			rest += 3, sep = 1;
	}
	while (sep && (*rest == ' ' || *rest == '-'))
		rest++;
	if (!sep || !*rest) {
		*code = "";
		*name = full;
		return;
	}
	*code = fisc_arena_printf(a, "%.*s", (int)digits, p);
	*name = rest;
}

static int by_region_name(const void *pa, const void *pb)
{
	const dept *a = pa, *b = pb;
	if (a->region != b->region)
		return a->region < b->region ? -1 : 1;
	return strcmp(a->full, b->full);
}

void cli_departments_free(cli_departments *ds)
{
	depts *d = (depts *)ds;
	if (!d)
		return;
	free(d->text);
	free(d->v);
	free(d->slot);
	free(d);
}

int cli_departments_load(fisc_store *st, int64_t region, int year, fisc_arena *a,
			 cli_departments **out)
{
	depts *d = calloc(1, sizeof *d);
	if (!d)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	d->a = a;
	fisc_query q = {0};
	q.region = region;
	q.year = year;
	int rc = fisc_store_fact_scan(st, &q, keep_text, keep_fact, d);
	if (d->rc)
		rc = fisc_error_set(d->rc, "out of memory");
	for (size_t i = 0; rc == FISC_OK && i < d->n; i++) {
		dept *x = &d->v[i];
		x->full = x->text < d->ntext ? d->text[x->text] : NULL;
		if (!x->full)
			x->full = "";
		split_code(a, x->full, &x->code, &x->name);
		fisc_region r;
		x->region_name = fisc_store_region_get(st, x->region, a, &r) == FISC_OK ? r.name : "";
	}
	if (rc != FISC_OK) {
		cli_departments_free((cli_departments *)d);
		return rc;
	}
	/* The texts are no longer needed; the kept ones live in the arena. */
	free(d->text);
	d->text = NULL;
	d->ntext = 0;
	qsort(d->v, d->n, sizeof *d->v, by_region_name);
	*out = (cli_departments *)d;
	return FISC_OK;
}

/* --- matching --------------------------------------------------------------- */

static int skip_text(void *ud, uint32_t id, const char *s, size_t n)
{
	(void)ud, (void)id, (void)s, (void)n;
	return 0;
}

static int first_fact(void *ud, const fisc_fact_ids *f)
{
	(void)ud, (void)f;
	return 1; /* found: stop the walk */
}

int cli_department_exists(fisc_store *st, int64_t region, const char *name)
{
	fisc_query q = {0};
	q.region = region;
	q.dept = name;
	return fisc_store_fact_scan(st, &q, skip_text, first_fact, NULL) == 1;
}

static int same_full(const depts *d, const size_t *hit, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(d->v[hit[i]].full, d->v[hit[0]].full))
			return 0;
	return 1;
}

static void list_hits(const depts *d, const size_t *hit, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const dept *x = &d->v[hit[i]];
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(d->v[hit[j]].full, x->full) && d->v[hit[j]].region == x->region;
		if (!dup)
			fprintf(stderr, "    %s（%s）\n", x->full, x->region_name);
	}
}

int cli_department_resolve(const cli_departments *ds, const char *given, const char **out)
{
	const depts *d = (const depts *)ds;
	size_t *hit = malloc((d->n ? d->n : 1) * sizeof *hit), n = 0;
	if (!hit)
		return cli_error(CLI_FAIL);
	/* 1: the exact name (with or without its code) or the exact code */
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].full, given) || !strcmp(d->v[i].name, given) ||
		    (*d->v[i].code && !strcmp(d->v[i].code, given)))
			hit[n++] = i;
	/* 2: a prefix of the name (or of the whole text) */
	if (!n)
		for (size_t i = 0; i < d->n; i++)
			if (!strncmp(d->v[i].name, given, strlen(given)) ||
			    !strncmp(d->v[i].full, given, strlen(given)))
				hit[n++] = i;
	if (n && same_full(d, hit, n)) {
		*out = d->v[hit[0]].full;
		free(hit);
		return CLI_OK;
	}
	if (n) {
		fprintf(stderr, "fisc: 部门「%s」不唯一 / department '%s' is ambiguous; it matches:\n",
			given, given);
		list_hits(d, hit, n);
		free(hit);
		return CLI_USAGE;
	}
	fprintf(stderr, "fisc: 未知部门「%s」/ unknown department '%s'\n", given, given);
	const char **names = malloc((d->n ? d->n : 1) * sizeof *names);
	if (names && d->n) {
		for (size_t i = 0; i < d->n; i++)
			names[i] = d->v[i].name;
		size_t k = fisc_suggest(given, names, d->n, hit, 5);
		if (k) {
			fprintf(stderr, "  你是不是要找 / did you mean:\n");
			list_hits(d, hit, k);
		} else if (d->n <= 20) {
			fprintf(stderr, "  库中的部门 / departments in the store:\n");
			for (size_t i = 0; i < d->n; i++)
				hit[i] = i;
			list_hits(d, hit, d->n);
		} else {
			fprintf(stderr, "  用 fisc departments 列出全部部门 / list them with "
					"fisc departments\n");
		}
	} else if (names) {
		fprintf(stderr, "  库中没有部门数据 / the store has no department facts\n");
	}
	free(names);
	free(hit);
	return CLI_USAGE;
}

/* --- the command -------------------------------------------------------------- */

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] departments [--region R] [--year Y]\n"
		   "  列出事实中出现的部门：代码（如有）、名称、地区、年度\n"
		   "  lists the departments the facts name: code (if any), name, region, years\n"
		   "  --department 可用全称、唯一前缀或代码 | --department takes the name, a unique\n"
		   "  prefix or the code\n");
	return code;
}

int cmd_departments(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {{"region", required_argument, 0, 'r'},
						 {"year", required_argument, 0, 'y'},
						 {"help", no_argument, 0, 'h'},
						 {0, 0, 0, 0}};
	const char *region = NULL;
	int year = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'y':
			if (cli_year_parse(optarg, &year) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_arena *a = fisc_arena_new();
	fisc_region r = {0};
	cli_departments *ds = NULL;
	int rc = a ? CLI_OK : CLI_FAIL;
	if (rc == CLI_OK && region)
		rc = cli_region_check(st, region, &r, a);
	if (rc == CLI_OK && cli_departments_load(st, r.id, year, a, &ds) != FISC_OK)
		rc = cli_error(CLI_FAIL);
	if (rc == CLI_OK) {
		const depts *d = (const depts *)ds;
		for (size_t i = 0; i < d->n; i++) {
			const dept *x = &d->v[i];
			fisc_text_put(*x->code ? x->code : "-", stdout);
			putchar('\t');
			fisc_text_put(x->name, stdout); /* from imported files: shown, never run */
			putchar('\t');
			fisc_text_put(x->region_name, stdout);
			putchar('\t');
			int first = 1;
			for (int y = 0; y < NY; y++)
				if (x->years[y / 8] & (1u << (y % 8))) {
					printf("%s%d", first ? "" : ",", Y0 + y);
					first = 0;
				}
			printf("\n");
		}
		if (!d->n) {
			fprintf(stderr, "fisc: 没有部门数据 / no department facts");
			if (region)
				fprintf(stderr, "（%s）", r.name);
			if (year)
				fprintf(stderr, "（%d）", year);
			fprintf(stderr, "\n");
			if (region || year) {
				fisc_query q = {0};
				q.region = r.id;
				cli_years_hint(st, &q, region ? r.name : "");
			}
		}
	}
	cli_departments_free(ds);
	fisc_arena_free(a);
	fisc_store_close(st);
	return rc;
}
