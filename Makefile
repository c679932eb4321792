# SPDX-License-Identifier: Apache-2.0
# confine: a plain Makefile, dependencies found with pkg-config.

CC ?= cc
PKGS := libseccomp libapparmor yajl libcap
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# The four libraries are linked from their static archives (Debian's -dev
# packages ship them): the hook runs on every container start, and
# resolving four shared objects costs about 0.2 ms of its ~0.6 ms. Set
# STATIC_DEPS=0 to link them dynamically.
STATIC_DEPS ?= 1
ifeq ($(STATIC_DEPS),1)
PKG_LIBS := -Wl,-Bstatic -l:libseccomp.a -l:libapparmor.a -l:libyajl_s.a -l:libcap.a -Wl,-Bdynamic
else
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
        -Wno-missing-field-initializers
HARDEN := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE \
          -fcf-protection
CFLAGS ?= -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(HARDEN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS ?=
# --build-id: the shim knows install.sh's copies of itself by it (src/standin.h).
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now,-z,noexecstack -Wl,--build-id=sha1 $(LDFLAGS)

B := build
CORE_SRC := $(wildcard base/*.c) $(wildcard oci/*.c) $(wildcard src/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o)
LIB := $(B)/libconfine.a

# Each front end is its folder's .c files, plus what the three share
# (front/: how they report), on top of the core library.
front = $(patsubst %.c,$(B)/obj/%.o,$(wildcard $(1)/*.c) $(wildcard front/*.c))
BINS := $(B)/confine-hook $(if $(wildcard runtime/*.c),$(B)/confine-runtime) \
        $(if $(wildcard cli/*.c),$(B)/confine) $(if $(wildcard authz/*.c),$(B)/confine-authz)
UNIT_SRC := $(filter-out tests/unit/harness.c,$(wildcard tests/unit/test-*.c))
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all check demo clean
# Keep objects that only pattern rules name, so a rebuild reuses them.
.SECONDARY:
all: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The verdict cache's key names the judge (src/cache.c): the core's
# sources and headers, the compiler and the flags. One identity for the
# hook, the shim and the CLI, whose verdicts are the core's: the cache
# install.sh warms with `confine check` is the one a container start reads,
# and no other build of the core reuses it.
CORE_HDR := $(wildcard $(addsuffix *.h,$(sort $(dir $(CORE_SRC)))))
CORE_ID := $(shell { cat $(sort $(CORE_SRC) $(CORE_HDR)); $(CC) --version; echo '$(ALL_CFLAGS)'; } \
                   | sha256sum | cut -c1-64)
$(B)/obj/src/cache.o: ALL_CFLAGS += -DCONFINE_CORE_ID='"$(CORE_ID)"'
$(B)/obj/src/cache.o: $(CORE_SRC) $(CORE_HDR)

$(LIB): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The front ends are linked static-pie (LINK=static, the default): the hook
# and the shim run on every container start, where the dynamic loader's
# mapping and relocation of libc was a third of the hook's own cost and
# most of what a pass-through adds to runc. It is safe with glibc because
# nothing we call needs what a static glibc cannot give: no NSS (getpw*,
# getgr*, getaddrinfo: we name users by number), no dlopen (libseccomp,
# libapparmor, yajl and libcap do not load modules), no iconv or locale
# data (the C locale is built in). glibc makes the linker warn when a static
# program uses one of those, and --fatal-warnings turns that into an error.
# -z muldefs: src/oom.c replaces malloc and friends, which a static libc
# also defines in the same archive member as the __libc_malloc it calls;
# ours comes first and wins, so every allocation, libc's own included, is
# still checked, as with the shared libc. The same programs linked against
# the shared libc go to $(B)/dynamic/ for the tools that interpose on it
# (LD_PRELOAD fault injection, valgrind); LINK=dynamic links the main ones
# that way too (the sanitizer builds).
LINK ?= static
ifeq ($(LINK),static)
FRONT_LDFLAGS := -static-pie -Wl,-z,muldefs,--fatal-warnings
FRONT_LIBS := -l:libseccomp.a -l:libapparmor.a -l:libyajl_s.a -l:libcap.a
else
FRONT_LDFLAGS :=
FRONT_LIBS = $(PKG_LIBS)
endif
DYN_BINS := $(BINS:$(B)/%=$(B)/dynamic/%)

$(B)/confine-hook: $(call front,hook) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(FRONT_LDFLAGS) -o $@ $^ $(FRONT_LIBS)

$(B)/confine-runtime: $(call front,runtime) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(FRONT_LDFLAGS) -o $@ $^ $(FRONT_LIBS)

$(B)/confine: $(call front,cli) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(FRONT_LDFLAGS) -o $@ $^ $(FRONT_LIBS)

$(B)/confine-authz: $(call front,authz) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(FRONT_LDFLAGS) -o $@ $^ $(FRONT_LIBS)

$(B)/dynamic/confine-hook: $(call front,hook) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/dynamic/confine-runtime: $(call front,runtime) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/dynamic/confine: $(call front,cli) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/dynamic/confine-authz: $(call front,authz) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/unit/harness.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

check: all $(DYN_BINS) $(UNIT_BINS)
	@tests/run.sh $(B)

demo: all
	@tests/demo.sh $(B)

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Further targets (fuzzing, sanitizers, benchmarks, the VM suite) live in
# their own makefiles so each stays readable.
include $(wildcard mk/*.mk)
