build2/obj/src/error.o: src/error.c src/error.h
src/error.h:
