build2/obj/src/utils.o: src/utils.c src/utils.h src/error.h
src/utils.h:
src/error.h:
