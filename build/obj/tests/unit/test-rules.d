build/obj/tests/unit/test-rules.o: tests/unit/test-rules.c \
 tests/unit/harness.h tests/unit/../../src/error.h \
 tests/unit/../../src/policy.h tests/unit/../../src/error.h \
 tests/unit/../../src/rules.h tests/unit/../../src/policy.h \
 tests/unit/../../src/../oci/spec.h tests/unit/../../src/../oci/json.h \
 tests/unit/../../src/../oci/../src/error.h tests/unit/../../src/utils.h
tests/unit/harness.h:
tests/unit/../../src/error.h:
tests/unit/../../src/policy.h:
tests/unit/../../src/error.h:
tests/unit/../../src/rules.h:
tests/unit/../../src/policy.h:
tests/unit/../../src/../oci/spec.h:
tests/unit/../../src/../oci/json.h:
tests/unit/../../src/../oci/../src/error.h:
tests/unit/../../src/utils.h:
