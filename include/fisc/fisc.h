/*
** fisc/fisc.h — libfisc, the whole public API in one include.
**
** One header per concept: error (codes and messages), money (int64 fen),
** fact (the unit of data and its vocabularies), region, arena, store (the
** narrow storage interface), catalog (classification, lines, aliases),
** import (CSV/XLSX, all or nothing), report (balance tables and statements).
**
** A caller opens a store (fisc_store_open), seeds it if it has no catalogue
** (fisc_store_edition_for → FISC_ENOTFOUND: fisc_catalog_seed(st, NULL)),
** imports, builds tables and documents in an arena, and closes the store.
** docs/api.md describes the lifetimes, errors and threading;
** examples/embed/embed.c is a whole program.
*/
#ifndef FISC_FISC_H
#define FISC_FISC_H

#include "export.h"
#include "error.h"
#include "money.h"
#include "arena.h"
#include "fact.h"
#include "region.h"
#include "store.h"
#include "catalog.h"
#include "import.h"
#include "report.h"
#include "rules.h"
#include "doc.h"
#include "reports.h"
#include "voucher.h"
#include "audit.h"
#include "perf.h"
#include "user.h"
#include "progress.h"
#include "suggest.h"
#include "ledger.h"
#include "journal.h"
#include "history.h"
#include "overview.h"

#define FISC_VERSION "0.1.0"

#endif
