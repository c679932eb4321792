build2/obj/src/cache.o: src/cache.c src/cache.h src/error.h \
 src/../oci/spec.h src/../oci/json.h src/../oci/../src/error.h \
 src/sha256.h src/utils.h
src/cache.h:
src/error.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/sha256.h:
src/utils.h:
