build2/obj/src/dockerseccomp.o: src/dockerseccomp.c src/dockerseccomp.h \
 src/error.h src/../oci/json.h src/../oci/../src/error.h src/utils.h
src/dockerseccomp.h:
src/error.h:
src/../oci/json.h:
src/../oci/../src/error.h:
src/utils.h:
