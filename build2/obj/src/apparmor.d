build2/obj/src/apparmor.o: src/apparmor.c src/apparmor.h src/error.h \
 src/rules.h src/policy.h src/registry.h src/../oci/spec.h \
 src/../oci/json.h src/../oci/../src/error.h src/utils.h
src/apparmor.h:
src/error.h:
src/rules.h:
src/policy.h:
src/registry.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
