package io.kube4j.api.protobuf;

/** How a protobuf message maps to JSON: most are objects, a few well-known types have their own JSON form. */
enum MessageKind {
    /** A plain object: one JSON property per field. */
    OBJECT,
    /** meta.v1.Time: RFC 3339 with seconds precision. */
    TIME,
    /** meta.v1.MicroTime: RFC 3339 with 6 fraction digits. */
    MICRO_TIME,
    /** meta.v1.Duration: a Go duration string such as "1h2m3s". */
    DURATION,
    /** resource.Quantity: its string. */
    QUANTITY,
    /** intstr.IntOrString: a number or a string. */
    INT_OR_STRING,
    /** runtime.RawExtension: the embedded JSON object. */
    RAW_EXTENSION,
    /** meta.v1.FieldsV1: the embedded JSON object. */
    FIELDS_V1,
    /** apiextensions.v1.JSON: any embedded JSON value. */
    JSON,
    /** A Go slice type wrapped in a message (meta.v1.Verbs, ExtraValue): a JSON array of strings. */
    STRING_LIST,
    /** apiextensions.v1.JSONSchemaPropsOrArray: a schema object or an array of schemas. */
    SCHEMA_OR_ARRAY,
    /** apiextensions.v1.JSONSchemaPropsOrBool: a schema object or a boolean. */
    SCHEMA_OR_BOOL,
    /** apiextensions.v1.JSONSchemaPropsOrStringArray: a schema object or an array of strings. */
    SCHEMA_OR_STRING_ARRAY;

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

    static MessageKind of(com.google.protobuf.Descriptors.Descriptor type) {
        switch (type.getFullName()) {
            case META + "Time":
                return TIME;
            case META + "MicroTime":
                return MICRO_TIME;
            case META + "Duration":
                return DURATION;
            case META + "FieldsV1":
                return FIELDS_V1;
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            case "k8s.io.apimachinery.pkg.api.resource.QuantityValue":
                return QUANTITY;
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
                return INT_OR_STRING;
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
                return RAW_EXTENSION;
            case APIEXTENSIONS + "JSON":
                return JSON;
            case APIEXTENSIONS + "JSONSchemaPropsOrArray":
                return SCHEMA_OR_ARRAY;
            case APIEXTENSIONS + "JSONSchemaPropsOrBool":
                return SCHEMA_OR_BOOL;
            case APIEXTENSIONS + "JSONSchemaPropsOrStringArray":
                return SCHEMA_OR_STRING_ARRAY;
            default:
                return isStringList(type) ? STRING_LIST : OBJECT;
        }
    }

    /** go-to-protobuf wraps named slice types ({@code type Verbs []string}) in a message with one field "items". */
    private static boolean isStringList(com.google.protobuf.Descriptors.Descriptor type) {
        if (type.getFields().size() != 1) {
            return false;
        }
        var only = type.getFields().get(0);
        return only.getName().equals("items") && only.isRepeated()
                && only.getType() == com.google.protobuf.Descriptors.FieldDescriptor.Type.STRING;
    }
}
