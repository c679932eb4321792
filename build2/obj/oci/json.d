build2/obj/oci/json.o: oci/json.c oci/json.h oci/../src/error.h \
 oci/../src/utils.h oci/../src/error.h
oci/json.h:
oci/../src/error.h:
oci/../src/utils.h:
oci/../src/error.h:
