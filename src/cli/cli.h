/*
** cli.h — what the subcommands of the fisc tool share: the dispatch table
** entry, the store they open, and how they report errors.
*/
#ifndef FISC_CLI_H
#define FISC_CLI_H

#include <stdio.h>
#include "fisc/fisc.h"

/* Exit codes: success, findings/import errors, bad usage or unreadable input. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv, const char *db);
	const char *summary;
} cli_cmd;

int cmd_init(int argc, char **argv, const char *db);
int cmd_import(int argc, char **argv, const char *db);
int cmd_catalog(int argc, char **argv, const char *db);
int cmd_report(int argc, char **argv, const char *db);
int cmd_regions(int argc, char **argv, const char *db);
int cmd_check(int argc, char **argv, const char *db);
int cmd_audit(int argc, char **argv, const char *db);
int cmd_import_vouchers(int argc, char **argv, const char *db);
int cmd_rollup(int argc, char **argv, const char *db);
int cmd_departments(int argc, char **argv, const char *db);
int cmd_quota(int argc, char **argv, const char *db);
int cmd_pay(int argc, char **argv, const char *db);
int cmd_journal(int argc, char **argv, const char *db);
int cmd_serve(int argc, char **argv, const char *db);
int cmd_user(int argc, char **argv, const char *db);
int cmd_overview(int argc, char **argv, const char *db);
int cmd_history(int argc, char **argv, const char *db);
int cmd_diff(int argc, char **argv, const char *db);
int cmd_migrate(int argc, char **argv, const char *db);
int cmd_backup(int argc, char **argv, const char *db);
int cmd_copy(int argc, char **argv, const char *db);

/* Open the existing store at db; prints the error ("store not found" for a
** missing one, which is not created) and returns NULL on failure. */
fisc_store *cli_open(const char *db);
/* The same, creating the store with the bundled catalogue when missing:
** only init, import, import-vouchers and catalog import may. */
fisc_store *cli_create(const char *db);
/* Nonzero, with the error printed, when a path the command is to read
** cannot be read: checked before cli_create, so that a typo in an input
** path does not leave a new empty store behind. */
int cli_unreadable(const char *path);

/* Print "fisc: <message of the last library error>" to stderr; returns code. */
int cli_error(int code);

/* Output (cli_out.c). open: fopen for writing (a regular file under a
** temporary name, renamed over PATH by a successful close), the error
** printed. close:
** flush and close f (stdout is flushed, not closed) and tell whether every
** write reached it: CLI_OK, or CLI_FAIL after printing "写入失败 / write
** failed: PATH: reason" (path NULL: stdout). Every output goes through it. */
FILE *cli_open_output(const char *path);
int cli_close_output(FILE *f, const char *path);
/* Close an output whose content failed to be produced: a regular file is
** left as it was before (its temporary is removed); nothing is printed. */
void cli_discard_output(FILE *f);
/* Nonzero once a write to f failed: a library writer's error is then the
** write failure cli_close_output reports, not a second message. */
int cli_write_failed(FILE *f);
/* Render d as format to output (NULL: stdout; a path for xlsx and csv),
** errors printed; a CLI_ code. */
int cli_write_doc(const fisc_doc *d, const char *format, const char *output);
/* Route stdout through the same error-keeping stream (main, at start). */
void cli_stdout_init(void);

/* A progress line on stderr while library work reports progress
** (fisc/progress.h), only when stderr is a terminal; end clears it. */
void cli_progress_start(void);
void cli_progress_end(void);

/* Names (cli_names.c). Each check returns CLI_OK, or prints what is wrong
** with the closest valid values and returns CLI_USAGE (CLI_FAIL when the
** store itself failed). */
void cli_suggest(const char *given, const char *const *match, const char *const *show, size_t n);
int cli_region_check(fisc_store *st, const char *region, fisc_region *out, fisc_arena *a);
int cli_book_check(const char *book);
int cli_scope_check(const char *scope);
int cli_phase_check(const char *phase);
/* getopt_long (optstring starting with ':') returned c, ':' for a missing
** value or '?' for an unknown option, on the command-line word arg: say so,
** with the closest option; returns CLI_USAGE. */
struct option;
int cli_option_error(int c, const char *arg, const struct option *longopts);
/* --year: missing, not a number or out of range is a usage error. */
int cli_year_parse(const char *year, int *out);
/* After "no data": the years and phases that q's facts have, on stderr,
** introduced by `whose` (a region or department name, or ""). */
void cli_years_hint(fisc_store *st, const fisc_query *q, const char *whose);

/* --as-of (cli_names.c): read st as of that date or document from now on
** (fisc_store_view); an unknown document or a bad date is printed and
** CLI_USAGE returned. */
int cli_as_of(fisc_store *st, const char *text);

/* Departments (cmd_departments.c): those the facts of a region and year name
** (0: any), and the one a --department argument means: the exact name, the
** code, or a unique prefix (*out: the stored text); otherwise the closest
** names are printed and CLI_USAGE returned. */
typedef struct cli_departments cli_departments;
int cli_departments_load(fisc_store *st, int64_t region, int year, fisc_arena *a,
			 cli_departments **out);
int cli_department_resolve(const cli_departments *ds, const char *given, const char **out);
void cli_departments_free(cli_departments *ds);
/* Nonzero when a fact names exactly this department (in region, 0: any):
** the common case, found without listing every department. */
int cli_department_exists(fisc_store *st, int64_t region, const char *name);

#endif
