build/obj/tests/unit/test-seccomp.o: tests/unit/test-seccomp.c \
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
