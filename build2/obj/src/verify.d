build2/obj/src/verify.o: src/verify.c src/seccomp.h src/bpf.h src/error.h \
 src/../oci/spec.h src/../oci/json.h src/../oci/../src/error.h \
 src/sha256.h src/utils.h src/verify.h src/policy.h src/registry.h \
 src/rules.h
src/seccomp.h:
src/bpf.h:
src/error.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/sha256.h:
src/utils.h:
src/verify.h:
src/policy.h:
src/registry.h:
src/rules.h:
