build2/obj/src/inject.o: src/inject.c src/apparmor.h src/error.h \
 src/dockerseccomp.h src/../oci/json.h src/../oci/../src/error.h \
 src/inject.h src/policy.h src/registry.h src/../oci/spec.h \
 src/../oci/json.h src/seccomp.h src/bpf.h src/utils.h src/../oci/edit.h
src/apparmor.h:
src/error.h:
src/dockerseccomp.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/inject.h:
src/policy.h:
src/registry.h:
src/../oci/spec.h:
src/../oci/json.h:
src/seccomp.h:
src/bpf.h:
src/utils.h:
src/../oci/edit.h:
