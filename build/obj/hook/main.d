build/obj/hook/main.o: hook/main.c
