/*
** cli.h — what the subcommands of the fisc tool share: the dispatch table
** entry, the store they open, and how they report errors.
*/
#ifndef FISC_CLI_H
#define FISC_CLI_H

#include "fisc/fisc.h"

/* Exit codes: success, findings/import errors, bad usage or unreadable input. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv, const char *db);
	const char *summary;
} cli_cmd;

int cmd_import(int argc, char **argv, const char *db);
int cmd_catalog(int argc, char **argv, const char *db);
int cmd_report(int argc, char **argv, const char *db);
int cmd_regions(int argc, char **argv, const char *db);
int cmd_check(int argc, char **argv, const char *db);
int cmd_audit(int argc, char **argv, const char *db);
int cmd_import_vouchers(int argc, char **argv, const char *db);
int cmd_rollup(int argc, char **argv, const char *db);
int cmd_quota(int argc, char **argv, const char *db);
int cmd_pay(int argc, char **argv, const char *db);
int cmd_journal(int argc, char **argv, const char *db);

/* Open the store at db (creating and seeding it with the bundled catalogue
** when new); prints the error and returns NULL on failure. */
fisc_store *cli_open(const char *db);

/* Print "fisc: <message of the last library error>" to stderr; returns code. */
int cli_error(int code);

#endif
