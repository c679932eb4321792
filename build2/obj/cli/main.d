build2/obj/cli/main.o: cli/main.c cli/cli.h cli/../src/error.h
cli/cli.h:
cli/../src/error.h:
