build2/obj/oci/spec.o: oci/spec.c oci/spec.h oci/json.h \
 oci/../src/error.h oci/fields.h oci/../src/utils.h oci/../src/error.h
oci/spec.h:
oci/json.h:
oci/../src/error.h:
oci/fields.h:
oci/../src/utils.h:
oci/../src/error.h:
