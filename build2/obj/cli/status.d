build2/obj/cli/status.o: cli/status.c cli/cli.h cli/../src/error.h \
 cli/../src/apparmor.h cli/../src/error.h cli/../src/cves.h \
 cli/../src/policy.h cli/../src/registry.h cli/../src/rules.h \
 cli/../src/policy.h cli/../src/../oci/spec.h cli/../src/../oci/json.h \
 cli/../src/../oci/../src/error.h cli/../src/status.h cli/../src/utils.h \
 cli/../src/verify.h cli/../src/rules.h
cli/cli.h:
cli/../src/error.h:
cli/../src/apparmor.h:
cli/../src/error.h:
cli/../src/cves.h:
cli/../src/policy.h:
cli/../src/registry.h:
cli/../src/rules.h:
cli/../src/policy.h:
cli/../src/../oci/spec.h:
cli/../src/../oci/json.h:
cli/../src/../oci/../src/error.h:
cli/../src/status.h:
cli/../src/utils.h:
cli/../src/verify.h:
cli/../src/rules.h:
