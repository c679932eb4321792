build2/obj/cli/output.o: cli/output.c cli/cli.h cli/../src/error.h \
 cli/../src/utils.h cli/../src/error.h
cli/cli.h:
cli/../src/error.h:
cli/../src/utils.h:
cli/../src/error.h:
