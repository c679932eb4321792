build2/obj/runtime/passthrough.o: runtime/passthrough.c runtime/shim.h \
 runtime/../src/log.h runtime/../src/error.h runtime/../src/rules.h \
 runtime/../src/policy.h runtime/../src/registry.h \
 runtime/../src/../oci/spec.h runtime/../src/../oci/json.h \
 runtime/../src/../oci/../src/error.h runtime/../src/rules.h \
 runtime/../src/utils.h
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
runtime/../src/utils.h:
