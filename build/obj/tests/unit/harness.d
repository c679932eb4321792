build/obj/tests/unit/harness.o: tests/unit/harness.c tests/unit/harness.h \
 tests/unit/../../src/error.h tests/unit/../../src/utils.h \
 tests/unit/../../src/error.h
tests/unit/harness.h:
tests/unit/../../src/error.h:
tests/unit/../../src/utils.h:
tests/unit/../../src/error.h:
