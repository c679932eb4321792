build2/obj/src/cves.o: src/cves.c src/cves.h src/error.h src/utils.h \
 src/verify.h src/policy.h src/registry.h src/rules.h src/../oci/spec.h \
 src/../oci/json.h src/../oci/../src/error.h
src/cves.h:
src/error.h:
src/utils.h:
src/verify.h:
src/policy.h:
src/registry.h:
src/rules.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
