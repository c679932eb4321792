build2/obj/oci/edit.o: oci/edit.c oci/edit.h oci/json.h \
 oci/../src/error.h oci/../src/utils.h oci/../src/error.h
oci/edit.h:
oci/json.h:
oci/../src/error.h:
oci/../src/utils.h:
oci/../src/error.h:
