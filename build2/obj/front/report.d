build2/obj/front/report.o: front/report.c front/report.h \
 front/../src/log.h front/../src/error.h front/../src/rules.h \
 front/../src/policy.h front/../src/registry.h front/../src/../oci/spec.h \
 front/../src/../oci/json.h front/../src/../oci/../src/error.h \
 front/../src/utils.h
front/report.h:
front/../src/log.h:
front/../src/error.h:
front/../src/rules.h:
front/../src/policy.h:
front/../src/registry.h:
front/../src/../oci/spec.h:
front/../src/../oci/json.h:
front/../src/../oci/../src/error.h:
front/../src/utils.h:
