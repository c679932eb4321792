build/obj/tests/unit/test-spec.o: tests/unit/test-spec.c \
 tests/unit/harness.h tests/unit/../../src/error.h \
 tests/unit/../../oci/spec.h tests/unit/../../oci/json.h \
 tests/unit/../../oci/../src/error.h tests/unit/../../src/seccomp.h \
 tests/unit/../../src/bpf.h tests/unit/../../src/error.h \
 tests/unit/../../src/../oci/spec.h tests/unit/../../src/utils.h
tests/unit/harness.h:
tests/unit/../../src/error.h:
tests/unit/../../oci/spec.h:
tests/unit/../../oci/json.h:
tests/unit/../../oci/../src/error.h:
tests/unit/../../src/seccomp.h:
tests/unit/../../src/bpf.h:
tests/unit/../../src/error.h:
tests/unit/../../src/../oci/spec.h:
tests/unit/../../src/utils.h:
