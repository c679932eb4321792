build2/obj/src/cwd.o: src/cwd.c src/rules.h src/error.h src/policy.h \
 src/registry.h src/../oci/spec.h src/../oci/json.h \
 src/../oci/../src/error.h src/utils.h
src/rules.h:
src/error.h:
src/policy.h:
src/registry.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
