# fisc — build, test, demo. See README.md.
#
#   make demo    build, create a fresh SQLite store from examples/, print every table
#   make test    unit + CLI tests, fuzzers (FUZZ_SECONDS each), then all tests under ASan+UBSan
#   make         build build/fisc and build/libfisc.a
#
# Dependencies are installed by scripts/deps.sh when missing (Debian, as root).

CC      ?= cc
PKGS    := sqlite3 libzip expat jansson libutf8proc xlsxwriter libxml-2.0 pangocairo cairo-pdf cairo-svg
BUILD   ?= build
OPT     ?= -O2
SAN     ?=
DATADIR := $(CURDIR)/data
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Wno-unused-parameter \
           -Iinclude -Isrc/lib $(SAN) -DFISC_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka xlsxwriter 2>/dev/null)
LDLIBS     = $(PKG_LIBS) -lm

LIB_SRC  := $(sort $(wildcard src/lib/*/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HDRS     := $(wildcard include/fisc/*.h src/lib/*/*.h src/cli/*.h tests/*.h)

FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

.PHONY: all deps test-deps demo test unit cli-tests fuzz asan clean bench

# deps runs first and alone: pkg-config can only answer once the packages exist,
# so the build itself happens in a sub-make (safe under make -j).
all: deps
	@$(MAKE) --no-print-directory $(BUILD)/fisc

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libfisc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fisc: $(CLI_OBJ) $(BUILD)/libfisc.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libfisc.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libfisc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests -o $@ $< $(BUILD)/libfisc.a $(TEST_LIBS) $(LDLIBS)

demo: all
	@scripts/demo.sh $(BUILD)/fisc

unit: $(TESTS) $(BUILD)/fisc
	@tests/run.sh $(BUILD)

test: deps test-deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory asan
	@echo "make test: all stages passed"

# libFuzzer targets (clang), each run for FUZZ_SECONDS on its seed corpus.
fuzz: test-deps
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_SRC)

# The whole suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer.
asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang OPT=-O1 \
	  SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' unit

# fisc beside sqlite3, PostgreSQL 15, DuckDB, ledger, hledger and bean-check on
# the same generated data; installs the peers, writes BENCHMARKS.md (bench/run.sh).
bench:
	@bench/run.sh

clean:
	rm -rf build build-asan build-fuzz demo-out
