build2/obj/oci/fields.o: oci/fields.c oci/fields.h oci/json.h \
 oci/../src/error.h oci/../src/utils.h oci/../src/error.h
oci/fields.h:
oci/json.h:
oci/../src/error.h:
oci/../src/utils.h:
oci/../src/error.h:
