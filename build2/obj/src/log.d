build2/obj/src/log.o: src/log.c src/log.h src/error.h src/rules.h \
 src/policy.h src/registry.h src/../oci/spec.h src/../oci/json.h \
 src/../oci/../src/error.h src/utils.h
src/log.h:
src/error.h:
src/rules.h:
src/policy.h:
src/registry.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
