# masthead — build, test, run.
#   make            build build/masthead
#   make run        install missing packages (as root), build, create ./demo-site, serve it
#   make test       build and run every test (unit, Mustache spec, HTTP, browser)
#   make asan       the whole test suite under ASan + UBSan
#   make fuzz       run each fuzz target for a bounded time
#   make bench      wrk against the server and against nginx, same run
#   make bench-scale page, admin and start-up costs on generated sites (10k, 100k, 1M)
#   make lint       clang-format check, banned functions, include rules, cppcheck

CC      ?= gcc
BUILD   ?= build
PKGS    := libmicrohttpd libcurl sqlite3 libsodium jansson zlib vips libwebpmux libqrencode libutf8proc libxml-2.0 libarchive
VERSION := 0.1.0
SANFLAGS ?=
OPT     ?= -O2

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -g $(OPT) -pthread \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
	-Wformat=2 -Wno-format-nonliteral -fno-strict-aliasing -fstack-protector-strong \
	-DMH_VERSION='"$(VERSION)"' -DMH_DATADIR='"$(CURDIR)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SANFLAGS)
CFLAGS  += $(CFLAGS_BASE)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lgumbo -lmd4c-html -lmd4c -lmagic -lpthread -lm
LDFLAGS += $(SANFLAGS)

SRCS    := $(shell find src -name '*.c' | sort)
OBJS    := $(SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/pinyin_table.o $(BUILD)/gen/openapi_doc.o \
           $(BUILD)/gen/regions_table.o
LIB     := $(BUILD)/libmasthead.a
BIN     := $(BUILD)/masthead
UNIT_SRCS := $(shell find tests/unit -name 'test_*.c' | sort)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(shell find tests/fuzz -name 'fuzz_*.c' 2>/dev/null | sort)

.PHONY: all assets run test test-unit test-http test-browser asan ubsan fuzz bench lint format deps clean

all: $(BIN) assets

# The admin's rich-text editor (npm) copied into themes/admin/assets/vendor.
# Without npm or the registry the build goes on: the admin keeps the textarea.
assets:
	@sh scripts/install-npm.sh || echo "warning: npm packages not installed; the admin editor falls back to a plain textarea" >&2

deps:
	@sh scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Mandarin readings for slugs, from Unicode's Unihan data (unicode-data).
$(BUILD)/gen/pinyin_table.c: scripts/gen-pinyin.sh
	@mkdir -p $(dir $@)
	@echo "  GEN  $@"
	@sh scripts/gen-pinyin.sh > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/pinyin_table.o: $(BUILD)/gen/pinyin_table.c
	@$(CC) $(CFLAGS) -c $< -o $@

# The API's OpenAPI document, served as it is written.
$(BUILD)/gen/openapi_doc.c: docs/api/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	@echo "  GEN  $@"
	@sh scripts/embed.sh mh_openapi_json docs/api/openapi.json > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/openapi_doc.o: $(BUILD)/gen/openapi_doc.c
	@$(CC) $(CFLAGS) -c $< -o $@

# Administrative divisions for region fields, from the shipped data file.
$(BUILD)/gen/regions_table.c: scripts/gen-regions.sh data/regions/cn.tsv
	@mkdir -p $(dir $@)
	@echo "  GEN  $@"
	@sh scripts/gen-regions.sh data/regions/cn.tsv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/regions_table.o: $(BUILD)/gen/regions_table.c
	@$(CC) $(CFLAGS) -Isrc -c $< -o $@

$(LIB): $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

CMD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard cmd/masthead/*.c)))

$(BIN): $(CMD_OBJS) $(LIB)
	@echo "  LD   $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST $<"
	@$(CC) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

run: deps
	@$(MAKE) --no-print-directory all
	@[ -d demo-site ] || $(BIN) init demo-site --demo
	$(BIN) serve demo-site

# The HTTP tests check documents with npm packages (the OpenAPI and JSON
# Schema validators, the sitemaps.org schema): installed first.
test: deps
	@sh scripts/install-npm.sh
	@$(MAKE) --no-print-directory -j2 $(BIN) $(UNIT_BINS)
	@sh scripts/run-tests $(BUILD)

test-unit: $(BIN) $(UNIT_BINS)
	@sh scripts/run-tests $(BUILD) unit

test-http: $(BIN)
	@sh scripts/install-npm.sh
	@sh scripts/run-tests $(BUILD) http

test-browser: $(BIN)
	@sh scripts/run-tests $(BUILD) browser

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test

ubsan:
	@$(MAKE) --no-print-directory BUILD=build/ubsan \
	  SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" test

FUZZ_TIME ?= 30
fuzz:
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz OPT=-O1 \
	  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	  build/fuzz/libmasthead.a
	@set -e; for f in $(FUZZ_SRCS); do \
	  n=$$(basename $$f .c); \
	  clang $(CFLAGS_BASE) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -Isrc -o build/fuzz/$$n $$f build/fuzz/libmasthead.a $(LDLIBS); \
	  mkdir -p build/fuzz/corpus-$$n; \
	  seeds=tests/fuzz/corpus/$$n; [ -d $$seeds ] || seeds=; \
	  echo "== $$n ($(FUZZ_TIME)s)"; \
	  build/fuzz/$$n -max_total_time=$(FUZZ_TIME) -max_len=4096 -print_final_stats=1 \
	    build/fuzz/corpus-$$n $$seeds 2>&1 | tail -n 12; \
	done

bench: deps $(BIN) $(BUILD)/bench/products_bench
	@sh bench/run.sh $(BIN)
	@$(BUILD)/bench/products_bench 10000 200

# A product list with two filters at 10,000 products against the same list
# unfiltered (bench/products_bench.c; also part of make bench):
#   make bench-products [PRODUCTS=10000]
.PHONY: bench-products
PRODUCTS ?= 10000
$(BUILD)/bench/products_bench: bench/products_bench.c $(LIB)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

bench-products: $(BUILD)/bench/products_bench
	@$(BUILD)/bench/products_bench $(PRODUCTS) 200

# Cost of one uncached render of the seed article, without HTTP:
#   make bench-render [N=2000] (warm, then cold: a new content generation
#   before each render); valgrind --tool=callgrind build/bench/render_loop 500
.PHONY: bench-render
N ?= 2000
$(BUILD)/bench/render_loop: bench/render_loop.c $(LIB)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

bench-render: $(BUILD)/bench/render_loop
	@$(BUILD)/bench/render_loop $(N)
	@$(BUILD)/bench/render_loop $(N) /news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html cold

# Search index build and query latency, standalone (no HTTP):
#   make bench-search [SEARCH_N=100000]
.PHONY: bench-search
SEARCH_N ?= 100000
$(BUILD)/bench/search_bench: bench/search_bench.c $(LIB)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

bench-search: $(BUILD)/bench/search_bench
	@$(BUILD)/bench/search_bench $(SEARCH_N)

# Cost versus site size: demo, 10k, 100k entries (SCALE_1M=1 adds 1M; SIZES=demo,10000
# picks sizes). Generated sites are cached in build/bench-sites/. See bench/README.md.
.PHONY: bench-scale
bench-scale: $(BIN)
	@node bench/scale.mjs $(BIN)

lint:
	@sh scripts/lint.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(BUILD)/cmd/masthead/main.d
