/*
** fisc/catalog.h — the classification catalogue of one year, in memory, with
** fisc's balance lines and the alias table: what a written label means.
**
** The catalogue is data, versioned by year: `fisc catalog import YEAR DIR`
** loads an official edition into the store without a rebuild. A loaded
** catalogue answers "what item is 上年结余收入 / 11008 / 债务（转贷）收入?" and
** "which balance line does code 1100201 count towards?".
*/
#ifndef FISC_CATALOG_H
#define FISC_CATALOG_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_catalog fisc_catalog;

/* Load the edition that governs `year` (see fisc_store_edition_for), the
** lines and the aliases. */
int fisc_catalog_load(fisc_store *st, int year, fisc_catalog **out);
void fisc_catalog_free(fisc_catalog *c);
int fisc_catalog_edition(const fisc_catalog *c);

const fisc_catalog_entry *fisc_catalog_get(const fisc_catalog *c,
					   const char *code);
const fisc_catalog_entry *fisc_catalog_by_name(const fisc_catalog *c,
					       const char *name);
const fisc_line *fisc_catalog_line(const fisc_catalog *c, const char *id);
size_t fisc_catalog_line_count(const fisc_catalog *c);
const fisc_line *fisc_catalog_line_at(const fisc_catalog *c, size_t i);

/*
** What a person wrote → the canonical item id (a catalogue code or a line id),
** or NULL. Tries, in order: a catalogue code, a line id, a line name, an alias
** for `book` (or for any book), a catalogue name. Input is compared after
** NFKC normalisation and with white space removed, so "债务（转贷）收入" and
** "债务(转贷)收入" are the same.
*/
const char *fisc_catalog_resolve(const fisc_catalog *c, const char *text,
				 int book);

/* The balance line an item counts towards: the line itself, or the line
** whose code prefixes are the longest prefix of the code. NULL if none. */
const fisc_line *fisc_catalog_line_of(const fisc_catalog *c, const char *item);

/* Display name of an item: the line's name or the catalogue entry's name. */
const char *fisc_catalog_item_name(const fisc_catalog *c, const char *item);

/* Load a directory holding revenue.csv, expenditure_function.csv,
** expenditure_economic_government.csv, expenditure_economic_department.csv
** (header code,name,level,parent_code) as edition `year`, replacing an
** edition of that year, in one transaction. lines.csv and aliases.csv in the
** same directory, when present, are loaded too. */
int fisc_catalog_import_dir(fisc_store *st, int year, const char *dir);

/* Seed a new store from the bundled data directory: the classification in
** DATADIR/classification (edition year in its EDITION file), DATADIR/lines.csv
** and DATADIR/aliases.csv. */
int fisc_catalog_seed(fisc_store *st, const char *datadir);

/* The bundled data directory: $FISC_DATADIR, else the compiled-in path. */
const char *fisc_datadir(void);

#ifdef __cplusplus
}
#endif
#endif
