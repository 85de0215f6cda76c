/*
** fisc/region.h — regions (财政区划): a code, a name, a parent, and the words
** a report uses for its scopes.
**
** A district's reports say 全区 / 区级 / 镇级, a city's 全市 / 市本级 / 区县级.
** Those labels are stored per region (derived from the level when not given),
** so that reports speak the region's own language.
*/
#ifndef FISC_REGION_H
#define FISC_REGION_H

#include "export.h"
#include <stdint.h>
#include "fact.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_region {
	int64_t id;              /* store id (0 before it is stored) */
	const char *code;        /* 财政区划 code, unique: "500109" */
	const char *name;        /* 北碚区 */
	const char *parent_code; /* "" for a root */
	const char *level;       /* 省 市 区 县 镇 开发区 … */
	const char *label_all;   /* 全区 */
	const char *label_self;  /* 区级 */
	const char *label_lower; /* 镇级 */
} fisc_region;

/* The label a region uses for a scope ("全区", "区级", "镇级"). */
FISC_API const char *fisc_region_scope_label(const fisc_region *r, fisc_scope s);

/* Default labels from a level word: "区" → 全区/区级/镇级; "市" → 全市/市本级/
** 区县级; "县" → 全县/县级/乡镇级; "省" → 全省/省本级/市县级; anything else →
** 全辖/本级/下级. Returns pointers to static strings. */
FISC_API void fisc_region_default_labels(const char *level, const char **all,
				const char **self, const char **lower);

#ifdef __cplusplus
}
#endif
#endif
