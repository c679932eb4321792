build2/obj/src/process.o: src/process.c src/process.h src/error.h \
 src/utils.h
src/process.h:
src/error.h:
src/utils.h:
