build2/obj/src/seccomp.o: src/seccomp.c src/cache.h src/error.h \
 src/../oci/spec.h src/../oci/json.h src/../oci/../src/error.h \
 src/rules.h src/policy.h src/registry.h src/seccomp.h src/bpf.h \
 src/utils.h
src/cache.h:
src/error.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/rules.h:
src/policy.h:
src/registry.h:
src/seccomp.h:
src/bpf.h:
src/utils.h:
