build2/obj/src/bpf.o: src/bpf.c src/bpf.h src/error.h src/utils.h
src/bpf.h:
src/error.h:
src/utils.h:
