build2/obj/src/status.o: src/status.c src/status.h src/error.h \
 src/../oci/spec.h src/../oci/json.h src/../oci/../src/error.h \
 src/utils.h src/../oci/json.h
src/status.h:
src/error.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
src/../oci/json.h:
