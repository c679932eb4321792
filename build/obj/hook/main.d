build/obj/hook/main.o: hook/main.c hook/../src/log.h hook/../src/error.h \
 hook/../src/rules.h hook/../src/policy.h hook/../src/../oci/spec.h \
 hook/../src/../oci/json.h hook/../src/../oci/../src/error.h \
 hook/../src/process.h hook/../src/rules.h hook/../src/utils.h
hook/../src/log.h:
hook/../src/error.h:
hook/../src/rules.h:
hook/../src/policy.h:
hook/../src/../oci/spec.h:
hook/../src/../oci/json.h:
hook/../src/../oci/../src/error.h:
hook/../src/process.h:
hook/../src/rules.h:
hook/../src/utils.h:
