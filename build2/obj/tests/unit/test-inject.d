build2/obj/tests/unit/test-inject.o: tests/unit/test-inject.c \
 tests/unit/harness.h tests/unit/../../src/error.h \
 tests/unit/../../oci/spec.h tests/unit/../../oci/json.h \
 tests/unit/../../oci/../src/error.h tests/unit/../../src/inject.h \
 tests/unit/../../src/error.h tests/unit/../../src/policy.h \
 tests/unit/../../src/registry.h tests/unit/../../src/../oci/json.h \
 tests/unit/../../src/../oci/spec.h tests/unit/../../src/seccomp.h \
 tests/unit/../../src/bpf.h tests/unit/../../src/utils.h
tests/unit/harness.h:
tests/unit/../../src/error.h:
tests/unit/../../oci/spec.h:
tests/unit/../../oci/json.h:
tests/unit/../../oci/../src/error.h:
tests/unit/../../src/inject.h:
tests/unit/../../src/error.h:
tests/unit/../../src/policy.h:
tests/unit/../../src/registry.h:
tests/unit/../../src/../oci/json.h:
tests/unit/../../src/../oci/spec.h:
tests/unit/../../src/seccomp.h:
tests/unit/../../src/bpf.h:
tests/unit/../../src/utils.h:
