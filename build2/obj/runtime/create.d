build2/obj/runtime/create.o: runtime/create.c runtime/shim.h \
 runtime/../src/log.h runtime/../src/error.h runtime/../src/rules.h \
 runtime/../src/policy.h runtime/../src/registry.h \
 runtime/../src/../oci/spec.h runtime/../src/../oci/json.h \
 runtime/../src/../oci/../src/error.h runtime/../src/rules.h \
 runtime/../oci/edit.h runtime/../oci/json.h runtime/../src/inject.h \
 runtime/../src/../oci/json.h runtime/../src/utils.h \
 runtime/../src/verify.h
runtime/shim.h:
runtime/../src/log.h:
runtime/../src/error.h:
runtime/../src/rules.h:
runtime/../src/policy.h:
runtime/../src/registry.h:
runtime/../src/../oci/spec.h:
runtime/../src/../oci/json.h:
runtime/../src/../oci/../src/error.h:
runtime/../src/rules.h:
runtime/../oci/edit.h:
runtime/../oci/json.h:
runtime/../src/inject.h:
runtime/../src/../oci/json.h:
runtime/../src/utils.h:
runtime/../src/verify.h:
