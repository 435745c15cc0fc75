package io.kube4j.apiserver.protobuf;

import java.util.HashMap;
import java.util.Map;

/** The known fields of one message type, by field number; filled in by {@link Schemas}. */
final class Message {

    final String name;
    private final Map<Integer, Field> fields = new HashMap<>();

    Message(String name) {
        this.name = name;
    }

    Field field(int number) {
        return fields.get(number);
    }

    Message string(int number, String name) {
        return add(number, new Field(name, Field.Type.STRING, false, false, null));
    }

    Message strings(int number, String name) {
        return add(number, new Field(name, Field.Type.STRING, true, false, null));
    }

    Message int32(int number, String name) {
        return add(number, new Field(name, Field.Type.INT32, false, false, null));
    }

    Message int64(int number, String name) {
        return add(number, new Field(name, Field.Type.INT64, false, false, null));
    }

    Message bool(int number, String name) {
        return add(number, new Field(name, Field.Type.BOOL, false, false, null));
    }

    /** A pointer field: present on the wire means set, even to zero. */
    Message optInt32(int number, String name) {
        return add(number, new Field(name, Field.Type.INT32, false, true, null));
    }

    Message optInt64(int number, String name) {
        return add(number, new Field(name, Field.Type.INT64, false, true, null));
    }

    Message optBool(int number, String name) {
        return add(number, new Field(name, Field.Type.BOOL, false, true, null));
    }

    Message optString(int number, String name) {
        return add(number, new Field(name, Field.Type.STRING, false, true, null));
    }

    Message message(int number, String name, Message type) {
        return add(number, new Field(name, Field.Type.MESSAGE, false, true, type));
    }

    Message messages(int number, String name, Message type) {
        return add(number, new Field(name, Field.Type.MESSAGE, true, true, type));
    }

    Message of(int number, String name, Field.Type type) {
        return add(number, new Field(name, type, false, false, null));
    }

    private Message add(int number, Field field) {
        fields.put(number, field);
        return this;
    }
}
