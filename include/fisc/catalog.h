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

#include "export.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_catalog fisc_catalog;

/* Load the edition that governs `year` (see fisc_store_edition_for), the
** lines and the aliases. */
FISC_API int fisc_catalog_load(fisc_store *st, int year, fisc_catalog **out);
FISC_API void fisc_catalog_free(fisc_catalog *c);
FISC_API int fisc_catalog_edition(const fisc_catalog *c);

FISC_API const fisc_catalog_entry *fisc_catalog_get(const fisc_catalog *c,
					   const char *code);
FISC_API const fisc_catalog_entry *fisc_catalog_by_name(const fisc_catalog *c,
					       const char *name);
FISC_API const fisc_line *fisc_catalog_line(const fisc_catalog *c, const char *id);
FISC_API size_t fisc_catalog_line_count(const fisc_catalog *c);
FISC_API const fisc_line *fisc_catalog_line_at(const fisc_catalog *c, size_t i);
/* The edition's entries, in the store's order (what fisc_store_catalog_each
** gives for the edition), from memory. */
FISC_API size_t fisc_catalog_entry_count(const fisc_catalog *c);
FISC_API const fisc_catalog_entry *fisc_catalog_entry_at(const fisc_catalog *c, size_t i);

/*
** What a person wrote → the canonical item id (a catalogue code or a line id),
** or NULL. Tries, in order: a catalogue code, a line id, a line name, an alias
** for `book` (or for any book), a catalogue name. Input is compared after
** NFKC normalisation and with white space removed, so "债务（转贷）收入" and
** "债务(转贷)收入" are the same.
*/
FISC_API const char *fisc_catalog_resolve(const fisc_catalog *c, const char *text,
				 int book);

/* The balance line an item counts towards: the line itself, or the line
** whose code prefixes are the longest prefix of the code. NULL if none. */
FISC_API const fisc_line *fisc_catalog_line_of(const fisc_catalog *c, const char *item);
/* Nonzero when line l (of this catalogue) is the line `top` or below it. */
FISC_API int fisc_catalog_line_under(const fisc_catalog *c, const fisc_line *l, const char *top);
/* The same for a line `top` of this catalogue already looked up (NULL: 0). */
FISC_API int fisc_catalog_line_within(const fisc_catalog *c, const fisc_line *l,
				      const fisc_line *top);

/* Display name of an item: the line's name or the catalogue entry's name. */
FISC_API const char *fisc_catalog_item_name(const fisc_catalog *c, const char *item);

/* Load a directory holding revenue.csv, expenditure_function.csv,
** expenditure_economic_government.csv, expenditure_economic_department.csv
** (header code,name,level,parent_code) as edition `year`, replacing an
** edition of that year, in one transaction. lines.csv and aliases.csv in the
** same directory, when present, are loaded too. */
FISC_API int fisc_catalog_import_dir(fisc_store *st, int year, const char *dir);

/* Seed a new store from the bundled data directory: the classification in
** DATADIR/classification (edition year in its EDITION file), DATADIR/lines.csv
** and DATADIR/aliases.csv. datadir NULL: fisc_datadir(), and FISC_ENOTFOUND
** with its message when there is none. */
FISC_API int fisc_catalog_seed(fisc_store *st, const char *datadir);

/* The bundled data directory, looked for at run time: $FISC_DATADIR (used
** alone when set), else the installed path compiled in from PREFIX, else
** PREFIX/share/fisc relative to libfisc.so or to the program, else data/ of
** the source tree for an uninstalled build/fisc. NULL when none holds the
** data, with an error message (fisc_error_message) naming every place looked
** in. The string is the library's or the environment's: do not free it. */
FISC_API const char *fisc_datadir(void);

#ifdef __cplusplus
}
#endif
#endif
