build2/obj/tests/unit/harness.o: tests/unit/harness.c \
 tests/unit/harness.h tests/unit/../../src/error.h \
 tests/unit/../../oci/spec.h tests/unit/../../oci/json.h \
 tests/unit/../../oci/../src/error.h tests/unit/../../src/utils.h \
 tests/unit/../../src/error.h
tests/unit/harness.h:
tests/unit/../../src/error.h:
tests/unit/../../oci/spec.h:
tests/unit/../../oci/json.h:
tests/unit/../../oci/../src/error.h:
tests/unit/../../src/utils.h:
tests/unit/../../src/error.h:
