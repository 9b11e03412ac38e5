# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The one build entry of lagbpf. Out of tree under $(O); quiet unless V=1.

O        ?= build
CLANG    ?= clang
CC       ?= gcc
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
PREFIX   ?= /usr/local
TESTS    ?=

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PKGS      := libbpf libxdp libmnl json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lz
LIBXDP_VERSION := $(shell pkg-config --modversion libxdp 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -Iuser -I$(O) $(PKG_CFLAGS) -MMD -MP \
	    -DLAGBPF_LIBXDP_VERSION='"$(LIBXDP_VERSION)"'
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_STATIC := $(if $(filter clang%,$(notdir $(CC))),,-static-libasan -static-libubsan)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Wno-missing-field-initializers \
	      -Ivmlinux -Iinclude -Ibpf -MMD -MP

BPF_PROGS := lag_xdp lag_tx lag_rx
SKELS     := $(BPF_PROGS:%=$(O)/%.skel.h)

# Layers, top to bottom (docs/architecture.md): includes go downward only,
# which `make check` verifies. The pure layers (no syscalls) are linked into
# lagbpf and every unit test; the Makefile knows them by folder.
PURE_DIRS := user/lacp user/conf user/event
IO_DIRS   := user/cli user/daemon user/lag user/sys
CORE_SRCS := $(sort $(foreach d,$(PURE_DIRS),$(wildcard $(d)/*.c)))
IO_SRCS   := $(sort $(foreach d,$(IO_DIRS),$(wildcard $(d)/*.c)))
CORE_OBJS := $(CORE_SRCS:user/%.c=$(O)/user/%.o)
IO_OBJS   := $(IO_SRCS:user/%.c=$(O)/user/%.o)
SAN_OBJS  := $(CORE_SRCS:user/%.c=$(O)/san/%.o)
SAN_IO_OBJS := $(IO_SRCS:user/%.c=$(O)/san/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(BPFT_SRCS:tests/bpf/%.c=$(O)/tests/%)

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all test test-all test-unit test-bpf test-integ bench demo deps deb install clean help check check-tools vmlinux

all: check-tools $(O)/lagbpf

check-tools:
	@$(BPFTOOL) gen help 2>&1 | grep -q skeleton || \
		{ echo "error: $(BPFTOOL) lacks 'gen skeleton' (run: make deps)" >&2; exit 1; }
	@command -v $(CLANG) >/dev/null || { echo "error: $(CLANG) not found (run: make deps)" >&2; exit 1; }

$(O)/bpf/%.tmp.o: bpf/%.bpf.c Makefile | $(O)/bpf
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bpf/%.bpf.o: $(O)/bpf/%.tmp.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(O)/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

$(O)/user/%.o: user/%.c Makefile
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(IO_OBJS): $(SKELS)

$(O)/lagbpf: $(CORE_OBJS) $(IO_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(PKG_LIBS) -o $@

# Sanitized objects: the core ones for the unit tests, all of them (and the
# leak-check wrapper) for lagbpf-san.
$(O)/san/%.o: user/%.c Makefile
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SAN) -c $< -o $@

$(O)/san/%.o: tests/lib/%.c Makefile | $(O)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -c $< -o $@

$(SAN_IO_OBJS): $(SKELS)

# Unit tests: sanitized core objects + cmocka, no root.

$(O)/tests/test_%: tests/unit/test_%.c $(SAN_OBJS) Makefile | $(O)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -Ibpf $< $(SAN_OBJS) -lcmocka -o $@

# lagbpf under ASan+UBSan (controller daemon included): what `make test` and
# `make test-integ` run; tests/lib/netns.sh collects the reports.
# Runtimes linked in: with gcc's shared libasan + libubsan, UBSan ignores
# log_path and reports to stderr, which the daemon points at /dev/null.
# --wrap=_exit: the daemon's leak check (tests/lib/lsan_exit.c).
$(O)/lagbpf-san: $(SAN_OBJS) $(SAN_IO_OBJS) $(O)/san/lsan_exit.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) $(SAN_STATIC) -Wl,--wrap=_exit $^ $(PKG_LIBS) -o $@

# BPF tests: BPF_PROG_TEST_RUN on the real objects (needs CAP_BPF).
# sys/maps.o: the tests load the programs and pin their maps as the controller does.
$(BPFT_BINS): $(O)/tests/%: tests/bpf/%.c $(SKELS) $(CORE_OBJS) $(O)/user/sys/maps.o Makefile | $(O)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Ibpf $< $(CORE_OBJS) $(O)/user/sys/maps.o $(PKG_LIBS) -lcmocka -lpthread -o $@

$(O)/bpf $(O)/san $(O)/tests:
	$(Q)mkdir -p $@

test-unit: $(UNIT_BINS)
	$(Q)tests/run-unit.sh $(UNIT_BINS)

test-bpf: all $(BPFT_BINS)
	$(Q)LABEL=bpf tests/run-unit.sh $(BPFT_BINS)

test-integ: all $(O)/lagbpf-san
	$(Q)LAGBPF=$(abspath $(O))/lagbpf-san tests/run-integ.sh $(TESTS)

# The README's test command: installs what is missing, then unit, BPF and
# (as root) integration tests, with one closing summary line.
test:
	$(Q)tools/deps.sh --check-or-install
	$(Q)$(MAKE) --no-print-directory test-all

test-all: all $(O)/lagbpf-san $(UNIT_BINS) $(BPFT_BINS)
	$(Q)LAGBPF=$(abspath $(O))/lagbpf-san tests/run-all.sh "$(UNIT_BINS)" "$(BPFT_BINS)" "$(TESTS)"

# Fuzzing (tests/fuzz/): libFuzzer harnesses over the pure layers, built with
# clang, ASan and UBSan into $(O)/fuzz/ (the pure sources compiled again there,
# apart from the gcc build). Each runs FUZZ_SECONDS on a copy of its seed
# corpus; a crash or a failed invariant fails the target (tests/fuzz/run.sh).
FUZZ_SECONDS ?= 30
FUZZ_NAMES   := codec machines
FUZZ_FLAGS   := -g -O1 -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -Iuser -MMD -MP \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJS    := $(CORE_SRCS:user/%.c=$(O)/fuzz/obj/%.o)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(O)/fuzz/fuzz_%)
.PHONY: fuzz

$(O)/fuzz/obj/%.o: user/%.c Makefile
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) -c $< -o $@

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) Makefile
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $< $(FUZZ_OBJS) -o $@

fuzz:
	$(Q)tools/deps.sh --check-or-install
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)O=$(O) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_NAMES)

-include $(wildcard $(O)/fuzz/*.d $(O)/fuzz/obj/*/*.d)

bench:
	$(Q)tools/deps.sh --check-or-install
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tools/bench.sh

demo:
	$(Q)tools/deps.sh --check-or-install
	$(Q)$(MAKE) --no-print-directory all
	$(Q)LAGBPF=$(abspath $(O))/lagbpf tools/demo.sh

deps:
	$(Q)tools/deps.sh

# Format, scripts and layering: what CI checks before the tests.
FMT_SRCS := $(shell find bpf include user tests tools -name '*.[ch]' 2>/dev/null | sort)
SH_SRCS  := $(shell find . -name '*.sh' -not -path './$(O)/*' -not -path './.git/*' | sort) .ci/run \
	    dist/lagbpf.bash-completion
check:
	$(Q)tools/deps.sh --check-or-install
	$(call msg,FORMAT,$(words $(FMT_SRCS)) C and BPF files)
	$(Q)clang-format --dry-run -Werror $(FMT_SRCS)
	$(call msg,SHCHECK,$(words $(SH_SRCS)) scripts)
	$(Q)shellcheck -x $(SH_SRCS)
	$(call msg,LAYERS,user/)
	$(Q)tools/check-layers.sh >/dev/null || tools/check-layers.sh

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

SBINDIR    ?= $(PREFIX)/sbin
UNITDIR    ?= /etc/systemd/system
$(O)/lagbpf@.service: dist/lagbpf@.service.in Makefile
	$(call msg,GEN,$@)
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' $< > $@

install: all $(O)/lagbpf@.service
	install -D -m 0755 $(O)/lagbpf $(DESTDIR)$(SBINDIR)/lagbpf
	install -D -m 0644 $(O)/lagbpf@.service $(DESTDIR)$(UNITDIR)/lagbpf@.service
	install -D -m 0644 dist/lag0.conf.example $(DESTDIR)/etc/lagbpf/lag0.conf.example
	install -D -m 0644 dist/man/lagbpf.8 $(DESTDIR)$(PREFIX)/share/man/man8/lagbpf.8
	install -D -m 0644 dist/man/lagbpf.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/lagbpf.conf.5
	install -D -m 0644 dist/lagbpf.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/lagbpf

# The Debian package (debian/): dpkg-buildpackage on a copy of the tree
# under $(O)/deb, whose products land beside it; then lintian, and the
# package unpacked into a clean root where its lagbpf must run (tools/deb.sh).
deb:
	$(Q)tools/deps.sh --check-or-install
	$(Q)O=$(O) tools/deb.sh

clean:
	rm -rf $(O)

help:
	@echo 'targets: all test test-unit test-bpf test-integ check fuzz bench demo deps deb install clean vmlinux help'
	@echo 'variables: V=1 (show commands)  O=DIR (build dir, default build)  TESTS="name ..." (integration tests to run)'
	@echo '           FUZZ_SECONDS=N (make fuzz: seconds per harness, default 30)'
	@echo '           PARTS="scale ctl ..." (make bench: parts to run; the rest of its knobs: tools/bench.sh)'

-include $(wildcard $(O)/user/*/*.d $(O)/san/*/*.d $(O)/bpf/*.d $(O)/tests/*.d)
