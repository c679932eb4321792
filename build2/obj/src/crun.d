build2/obj/src/crun.o: src/crun.c src/rules.h src/error.h src/policy.h \
 src/registry.h src/../oci/spec.h src/../oci/json.h \
 src/../oci/../src/error.h src/seccomp.h src/bpf.h src/utils.h
src/rules.h:
src/error.h:
src/policy.h:
src/registry.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/seccomp.h:
src/bpf.h:
src/utils.h:
