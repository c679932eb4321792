build2/obj/src/oom.o: src/oom.c
