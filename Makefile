# fisc — build, test, demo. See README.md.
#
#   make demo    build, create a fresh SQLite store from examples/, print every table
#   make test    unit + CLI tests (on SQLite, and on a throw-away PostgreSQL), fuzzers
#                (FUZZ_SECONDS each), then all tests under ASan+UBSan
#   make test-pg the PostgreSQL tests alone (tests/cli/test_pg_*.sh)
#   make         build build/fisc, build/libfisc.a and build/libfisc.so
#   make install install the tool, the library (shared and static), headers, fisc.pc,
#                data and man page under PREFIX (default /usr/local); DESTDIR honoured
#   make uninstall remove what make install put there (same PREFIX and DESTDIR)
#
# Dependencies are installed by scripts/deps.sh when missing (Debian, as root).

CC      ?= cc
PKGS    := sqlite3 libpq libzip expat jansson libutf8proc xlsxwriter libsodium libcrypto libxml-2.0 pangocairo cairo-pdf cairo-svg mupdf
# Only the fisc binary serves HTTP (src/server/): libfisc and fisc.pc do not
# depend on libmicrohttpd, so an embedder links no HTTP stack.
TOOL_PKGS := libmicrohttpd
BUILD   ?= build
OPT     ?= -O2
SAN     ?=
DATADIR := $(CURDIR)/data
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Wno-unused-parameter \
           -Iinclude -Isrc/lib -Isrc $(SAN) -DFISC_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(TOOL_PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka xlsxwriter 2>/dev/null)
# Debian ships MuPDF as a static library only: its own dependencies come from
# its .pc file's private part, plus HarfBuzz, which that file leaves out.
MUPDF_LIBS = $(shell pkg-config --libs --static mupdf 2>/dev/null) -lharfbuzz
LDLIBS     = $(PKG_LIBS) $(MUPDF_LIBS) -lm

LIB_SRC  := $(sort $(wildcard src/lib/*/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
SERVER_SRC := $(sort $(wildcard src/server/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o) $(SERVER_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HDRS     := $(wildcard include/fisc/*.h src/lib/*/*.h src/cli/*.h src/server/*.h tests/*.h)

# The library's version is the one in fisc.h; the SONAME carries the major
# number only, so a compatible 0.x.y update needs no relink of its users.
VERSION := $(shell sed -n 's/^\#define FISC_VERSION "\(.*\)"/\1/p' include/fisc/fisc.h)
SONAME  := libfisc.so.$(firstword $(subst ., ,$(VERSION)))
SOLIB   := libfisc.so.$(VERSION)

.PHONY: install uninstall FORCE

# Installation paths (GNU conventions). PKGDATADIR is also compiled into the
# library: fisc_datadir() looks there after $FISC_DATADIR (catalog.c).
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGDATADIR   ?= $(PREFIX)/share/fisc
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

FUZZ_SECONDS ?= 15
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

.PHONY: all deps test-deps demo test unit cli-tests fuzz asan clean bench bench-ledger bench-diff torture web test-pg bench-scale bench-serve-pay bench-serve bench-batch

# deps runs first and alone: pkg-config can only answer once the packages exist,
# so the build itself happens in a sub-make (safe under make -j).
all: deps
	@$(MAKE) --no-print-directory $(BUILD)/fisc $(BUILD)/libfisc.so web

# The web page and the HTML reports' chart script (web/, vanilla JS modules
# and Apache ECharts from npm) bundled by esbuild into data/web, where
# fisc_datadir() finds them from the build tree and `make install` copies
# them with the rest of data/. npm ci installs exactly web/package-lock.json.
WEB_OUT := data/web
WEB_SRC := $(wildcard web/src/*.js web/static/*) web/build.mjs
web: $(WEB_OUT)/app.js

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_OUT)/app.js: $(WEB_SRC) web/node_modules/.package-lock.json
	node web/build.mjs $(WEB_OUT)

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/%.o: %.c $(HDRS) $(BUILD)/cflags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# Everything is rebuilt when the compiler or its flags change: a build tree
# from before -fPIC must not be linked into libfisc.so, nor one from another
# OPT or SAN into a test. The stamp is rewritten only when they differ.
$(BUILD)/cflags: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' "$$SIG" | cmp -s - $@ || printf '%s\n' "$$SIG" > $@
$(BUILD)/cflags: export SIG = $(CC) $(CFLAGS) $(PKG_CFLAGS) lib: $(LIB_CFLAGS)

# Library objects are position-independent (one set serves libfisc.a and
# libfisc.so) and hidden unless declared FISC_API in include/fisc/; calls
# between the library's own exported functions bind directly, not via the PLT.
LIB_CFLAGS := -fPIC -fvisibility=hidden -fno-semantic-interposition
$(LIB_OBJ): CFLAGS += $(LIB_CFLAGS)

# The compiled-in data directory follows PREFIX: the stamp is rewritten only
# when the path changes, and then catalog.o is rebuilt (a make install with
# another PREFIX must not install a library that looks in the old place).
$(BUILD)/install-datadir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PKGDATADIR)' | cmp -s - $@ || echo '$(PKGDATADIR)' > $@
$(BUILD)/src/lib/catalog/catalog.o: $(BUILD)/install-datadir
$(BUILD)/src/lib/catalog/catalog.o: CFLAGS += -DFISC_INSTALL_DATADIR='"$(PKGDATADIR)"'

$(BUILD)/libfisc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# --no-undefined: a library that forgot one of its dependencies fails here,
# not in its users' link (sanitizer builds leave their runtime to the program).
$(BUILD)/$(SOLIB): $(LIB_OBJ) src/lib/libfisc.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/lib/libfisc.map \
	  $(if $(SAN),,-Wl,--no-undefined) -o $@ $(LIB_OBJ) $(LDLIBS)

# libfisc.so.0 is what programs load (the SONAME); libfisc.so is what -lfisc
# finds when linking.
$(BUILD)/$(SONAME): $(BUILD)/$(SOLIB)
	ln -sf $(SOLIB) $@
$(BUILD)/libfisc.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# Requires.private is PKGS, the one list of library dependencies: a new one
# is added there only. Except libpq, which is in Libs.private as -lpq
# (fisc.pc.in): Debian's libpq.pc lists -lpgcommon -lpgport for static links,
# libraries Debian ships only inside the server's development package, off
# the linker's path, so "Requires.private: libpq" would break every
# `pkg-config --static --libs fisc` link; -lpq alone links.
$(BUILD)/fisc.pc: fisc.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@PKGDATADIR@|$(PKGDATADIR)|g' \
	  -e 's|@VERSION@|$(VERSION)|g' -e 's|@REQUIRES_PRIVATE@|$(filter-out libpq,$(PKGS))|g' fisc.pc.in > $@

$(BUILD)/fisc: $(CLI_OBJ) $(BUILD)/libfisc.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libfisc.a $(LDLIBS) $(shell pkg-config --libs $(TOOL_PKGS) 2>/dev/null)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libfisc.a $(BUILD)/cflags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests -o $@ $< $(BUILD)/libfisc.a $(TEST_LIBS) $(LDLIBS)

demo: all
	@scripts/demo.sh $(BUILD)/fisc

# The CLI scripts run again on PostgreSQL (tests/run.sh --pg) in the plain
# build only: under the sanitizers the PostgreSQL side is test_pg_*.sh.
unit: $(TESTS) $(BUILD)/fisc $(BUILD)/libfisc.so web
	@FISC_SAN="$(SAN)" tests/run.sh $(BUILD)
ifeq ($(SAN),)
	@tests/run.sh --pg $(BUILD)
endif

# The CLI scripts on PostgreSQL alone.
unit-pg: $(TESTS) $(BUILD)/fisc $(BUILD)/libfisc.so web
	@tests/run.sh --pg $(BUILD)

test: deps test-deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory asan
	@echo "make test: all stages passed"

# The PostgreSQL side alone (also part of unit, through tests/run.sh): the
# unit tests on a throw-away cluster, the byte-identical comparison with
# SQLite, and the backend's own behaviour (docs/postgresql.md).
test-pg: test-deps $(TESTS) $(BUILD)/fisc
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) bash tests/cli/test_pg_unit.sh
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) bash tests/cli/test_pg_same.sh
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) bash tests/cli/test_pg_store.sh
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) bash tests/cli/test_pg_restart.sh
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) bash tests/cli/test_pg_national.sh
	@tests/run.sh --pg $(BUILD)

# libFuzzer targets (clang), each run for FUZZ_SECONDS on its seed corpus.
fuzz: test-deps
	@FISC_PKGS="$(PKGS) $(TOOL_PKGS)" scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_SRC)

# The whole suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer.
asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang OPT=-O1 \
	  SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' unit

# The long runs: the ledger's model-based test with 10^6 operations, the
# crash-safety probe of the suite with 500 kills instead of 20, and the audit
# round trip on every region of the benchmark's national dataset (1,300
# counties, 12 townships each: every report written, audited, 5 mutations each),
# and that national dataset imported into SQLite and PostgreSQL, check and a
# sample of reports compared byte for byte.
torture: all $(BUILD)/tests/test_ledger $(BUILD)/tests/test_audit_roundtrip
	FISC_TORTURE=1 FISC_DATADIR=$(DATADIR) $(BUILD)/tests/test_ledger
	FISC_ROUNDTRIP_COUNTIES=1300 FISC_ROUNDTRIP_REGIONS=0 FISC_ROUNDTRIP_MUTATIONS=5 \
	  FISC_DATADIR=$(DATADIR) $(BUILD)/tests/test_audit_roundtrip
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) CRASH_N=500 CRASH_VERBOSE=1 \
	  bash tests/cli/test_crash_import.sh
	@FISC=$(CURDIR)/$(BUILD)/fisc FISC_DATADIR=$(DATADIR) NAT_COUNTIES=1300 NAT_TOWNSHIPS=12 \
	  NAT_PROVINCES=0 bash tests/cli/test_pg_national.sh

# fisc beside sqlite3, PostgreSQL 15, DuckDB, ledger, hledger and bean-check on
# the same generated data; installs the peers, writes BENCHMARKS.md (bench/run.sh).
bench:
	@bench/run.sh

# The ledger alone (payments/s beside SQLite and PostgreSQL, journal verify):
# about four minutes (verify over 10^7 entries); writes its section of BENCHMARKS.md (bench/ledger.sh).
bench-ledger:
	@bench/ledger.sh

# fisc diff of two national datasets, an amendment of ~12 k figures and
# check before/after/as-of it (issue 11, item 7); writes its section of
# BENCHMARKS.md (bench/diff.sh). A few minutes.
bench-diff:
	@bench/diff.sh

# Issue 14's scale run: 1M and 10M vouchers into fisc on SQLite, PostgreSQL
# COPY (one table and 16 hash partitions), DuckDB and fisc on PostgreSQL when
# built; check over the national dataset from each backend. One run of each;
# writes its section of BENCHMARKS.md (bench/scale.sh). SCALE_SIZES=1000000
# for the 1M size alone.
bench-scale:
	@bench/scale.sh

# Controlled payments over HTTP: wrk with 64 connections against one fisc
# serve on SQLite and two sharing one PostgreSQL, beside PostgreSQL alone;
# nothing lost checked after each run; writes its section of BENCHMARKS.md
# (bench/serve_pay.sh, about a minute; installs wrk via scripts/deps.sh bench).
bench-serve-pay:
	@bench/serve_pay.sh

# Issue 12's batch: `fisc report congress --all-regions` on the national
# dataset (1664 reports) and `--level 县` (1300 counties), timed, 3 runs each;
# BATCH_BASE=path/to/fisc runs another build interleaved and compares every
# file; writes its section of BENCHMARKS.md (bench/batch.sh, about a minute).
bench-batch:
	@bench/batch.sh

# Issue 12's HTTP benchmark: cached reads of a balance table and of the
# overview from fisc serve beside nginx serving the same bytes, wrk at 64
# connections on loopback; installs wrk and nginx (scripts/deps.sh bench);
# about a minute; writes its section of BENCHMARKS.md (bench/serve.sh).
bench-serve:
	@bench/serve.sh

# The installed fisc is build/fisc, linked with libfisc.a: the binary the
# suite tested is the binary installed, it runs from the build tree with no
# LD_LIBRARY_PATH, and the tool may use library internals that are not ABI.
install: all $(BUILD)/fisc.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/fisc \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/fisc $(DESTDIR)$(BINDIR)/fisc
	install -m 755 $(BUILD)/$(SOLIB) $(DESTDIR)$(LIBDIR)/$(SOLIB)
	ln -sf $(SOLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libfisc.so
	install -m 644 $(BUILD)/libfisc.a $(DESTDIR)$(LIBDIR)/libfisc.a
	install -m 644 include/fisc/*.h $(DESTDIR)$(INCLUDEDIR)/fisc/
	install -m 644 $(BUILD)/fisc.pc $(DESTDIR)$(PKGCONFIGDIR)/fisc.pc
	cd data && find . -type f | while read -r f; do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(PKGDATADIR)/$$f" || exit 1; done
	install -m 644 docs/fisc.1 $(DESTDIR)$(MANDIR)/man1/fisc.1
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fisc $(DESTDIR)$(LIBDIR)/$(SOLIB) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	  $(DESTDIR)$(LIBDIR)/libfisc.so $(DESTDIR)$(LIBDIR)/libfisc.a \
	  $(DESTDIR)$(PKGCONFIGDIR)/fisc.pc $(DESTDIR)$(MANDIR)/man1/fisc.1
	rm -rf $(DESTDIR)$(INCLUDEDIR)/fisc $(DESTDIR)$(PKGDATADIR)

# The crash-safety probe of the suite with 500 kills instead of 20 (~10 min).

clean:
	rm -rf build build-asan build-fuzz demo-out $(WEB_OUT)
