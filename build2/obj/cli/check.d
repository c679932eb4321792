build2/obj/cli/check.o: cli/check.c cli/cli.h cli/../src/error.h \
 cli/../front/report.h cli/../front/../src/log.h \
 cli/../front/../src/error.h cli/../front/../src/rules.h \
 cli/../front/../src/policy.h cli/../front/../src/registry.h \
 cli/../front/../src/../oci/spec.h cli/../front/../src/../oci/json.h \
 cli/../front/../src/../oci/../src/error.h cli/../src/log.h \
 cli/../src/rules.h cli/../src/seccomp.h cli/../src/bpf.h \
 cli/../src/error.h cli/../src/../oci/spec.h cli/../src/utils.h
cli/cli.h:
cli/../src/error.h:
cli/../front/report.h:
cli/../front/../src/log.h:
cli/../front/../src/error.h:
cli/../front/../src/rules.h:
cli/../front/../src/policy.h:
cli/../front/../src/registry.h:
cli/../front/../src/../oci/spec.h:
cli/../front/../src/../oci/json.h:
cli/../front/../src/../oci/../src/error.h:
cli/../src/log.h:
cli/../src/rules.h:
cli/../src/seccomp.h:
cli/../src/bpf.h:
cli/../src/error.h:
cli/../src/../oci/spec.h:
cli/../src/utils.h:
