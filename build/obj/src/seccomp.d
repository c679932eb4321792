build/obj/src/seccomp.o: src/seccomp.c src/rules.h src/error.h \
 src/policy.h src/../oci/spec.h src/../oci/json.h \
 src/../oci/../src/error.h src/seccomp.h src/bpf.h src/utils.h
src/rules.h:
src/error.h:
src/policy.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/seccomp.h:
src/bpf.h:
src/utils.h:
