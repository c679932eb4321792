build/obj/src/seccomp.o: src/seccomp.c src/seccomp.h src/bpf.h \
 src/error.h src/../oci/spec.h src/../oci/json.h \
 src/../oci/../src/error.h src/utils.h
src/seccomp.h:
src/bpf.h:
src/error.h:
src/../oci/spec.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
