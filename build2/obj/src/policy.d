build2/obj/src/policy.o: src/policy.c src/policy.h src/error.h \
 src/registry.h src/sha256.h src/utils.h src/../oci/json.h \
 src/../oci/../src/error.h
src/policy.h:
src/error.h:
src/registry.h:
src/sha256.h:
src/utils.h:
src/../oci/json.h:
src/../oci/../src/error.h:
