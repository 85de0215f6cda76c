/*
** fisc/export.h — FISC_API, the mark that makes a declaration part of the
** ABI of libfisc.so.
**
** The library is compiled with -fvisibility=hidden so that its internal
** helpers (strmap, the audit lexer, the rule engine's pieces …) never become
** symbols another program can bind to and then depend on. Every function and
** object declared in include/fisc/ carries FISC_API, and nothing else does;
** tests/cli/test_symbols.sh checks both directions against the dynamic symbol
** table, so a new public declaration without FISC_API fails the suite;
** scripts/fisc-api.sh adds the missing marks.
*/
#ifndef FISC_EXPORT_H
#define FISC_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define FISC_API __attribute__((visibility("default")))
#else
#define FISC_API
#endif

#endif
