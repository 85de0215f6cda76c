/*
** sqlite_user.h — the users, tokens, publication marks and event log of the
** SQLite backend (sqlite_user.c), kept apart from the fact store.
*/
#ifndef FISC_STORE_SQLITE_USER_H
#define FISC_STORE_SQLITE_USER_H

#include "store/backend.h"

/* The migration that creates the tables (one entry of sqlite.c's list). */
#define FISC_SQLITE_USER_SCHEMA \
	"CREATE TABLE app_user(" \
	"  id INTEGER PRIMARY KEY," \
	"  name TEXT NOT NULL UNIQUE," \
	"  role INTEGER NOT NULL CHECK(role BETWEEN 1 AND 3)," \
	"  region_code TEXT NOT NULL," \
	"  dept TEXT NOT NULL DEFAULT ''," \
	"  pwhash TEXT NOT NULL," \
	"  disabled INTEGER NOT NULL DEFAULT 0," \
	"  created_at TEXT NOT NULL DEFAULT (datetime('now')));" \
	"CREATE TABLE app_token(" \
	"  hash BLOB PRIMARY KEY," \
	"  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE," \
	"  kind INTEGER NOT NULL," \
	"  expires INTEGER NOT NULL) WITHOUT ROWID;" \
	"CREATE TABLE published(" \
	"  region_id INTEGER NOT NULL REFERENCES region(id)," \
	"  year INTEGER NOT NULL," \
	"  at TEXT NOT NULL DEFAULT (datetime('now'))," \
	"  PRIMARY KEY(region_id, year));" \
	"CREATE TABLE event_log(" \
	"  id INTEGER PRIMARY KEY," \
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))," \
	"  actor TEXT NOT NULL, address TEXT NOT NULL, action TEXT NOT NULL," \
	"  target TEXT NOT NULL, outcome TEXT NOT NULL);"

extern const fisc_user_vtab fisc_sqlite_user_vtab;

#endif
