/*
** fisc/voucher.h — payment vouchers: importing a voucher CSV (all or
** nothing, like every import) and rolling the stored vouchers up by
** 功能分类 类/款/项 × month or by region × 类/款/项.
**
** The voucher file format and the rollup output are documented in
** docs/vouchers.md; the store side (fisc_voucher, fisc_store_voucher_*) is
** in store.h.
*/
#ifndef FISC_VOUCHER_H
#define FISC_VOUCHER_H

#include "export.h"
#include <stddef.h>
#include <stdint.h>
#include "store.h"
#include "import.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_voucher_stats {
	int64_t vouchers; /* written (0 when the import failed) */
	int64_t fen;      /* their exact total */
	int64_t skipped;  /* already in the store (same number and content), not written again */
	int64_t skipped_fen;
} fisc_voucher_stats;

/* Import one vouchers CSV in one transaction. Every bad row is reported to
** `diag` as file:line, field, reason in Chinese and English; when there is
** any, nothing is written and the result is FISC_EIMPORT. Vouchers already
** stored (same region, unit, year and number, same content) are skipped and
** counted; the same number with other content is FISC_EEXIST naming both
** lines (fisc_store_voucher_put). Regions must be
** in the store; 功能分类 codes must be 项 codes and 经济分类 codes must be
** economic codes of the catalogue edition that governs the voucher's year. */
FISC_API int fisc_voucher_import_file(fisc_store *st, const char *path, fisc_diag *diag,
			     fisc_voucher_stats *stats);
FISC_API int fisc_voucher_import_buffer(fisc_store *st, const char *name, const char *buf,
			       size_t len, fisc_diag *diag,
			       fisc_voucher_stats *stats);

/* Rollup at `level` (1 类, 2 款, 3 项): rows in order of (year, code, month)
** for FISC_ROLLUP_FUNCTION_MONTH and (year, region, code) for
** FISC_ROLLUP_REGION_FUNCTION, exact integer sums. scan: see
** fisc_store_voucher_rollup. */
FISC_API int fisc_voucher_rollup(fisc_store *st, int by, int level, int scan,
			fisc_rollup_cb cb, void *ud);

#ifdef __cplusplus
}
#endif
#endif
