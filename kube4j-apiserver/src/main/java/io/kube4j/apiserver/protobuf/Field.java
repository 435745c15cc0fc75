package io.kube4j.apiserver.protobuf;

/**
 * One field of a Kubernetes protobuf message: its JSON name, how its value is encoded, whether it repeats,
 * and whether a zero value is meaningful (a Go pointer field) or means "unset" (omitempty).
 */
record Field(String name, Type type, boolean repeated, boolean keepZero, Message message) {

    enum Type {
        STRING, BYTES, INT32, INT64, BOOL, MESSAGE, STRING_MAP, BYTES_MAP, QUANTITY_MAP, QUANTITY, TIME,
        INT_OR_STRING
    }
}
