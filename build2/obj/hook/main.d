build2/obj/hook/main.o: hook/main.c hook/../front/report.h \
 hook/../front/../src/log.h hook/../front/../src/error.h \
 hook/../front/../src/rules.h hook/../front/../src/policy.h \
 hook/../front/../src/registry.h hook/../front/../src/../oci/spec.h \
 hook/../front/../src/../oci/json.h \
 hook/../front/../src/../oci/../src/error.h hook/../src/process.h \
 hook/../src/error.h hook/../src/rules.h hook/../src/utils.h
hook/../front/report.h:
hook/../front/../src/log.h:
hook/../front/../src/error.h:
hook/../front/../src/rules.h:
hook/../front/../src/policy.h:
hook/../front/../src/registry.h:
hook/../front/../src/../oci/spec.h:
hook/../front/../src/../oci/json.h:
hook/../front/../src/../oci/../src/error.h:
hook/../src/process.h:
hook/../src/error.h:
hook/../src/rules.h:
hook/../src/utils.h:
