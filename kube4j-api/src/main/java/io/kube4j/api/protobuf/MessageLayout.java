package io.kube4j.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One message type prepared for fast decoding and encoding: fields by number, JSON names and rules. */
final class MessageLayout {

    /** One field with what the JSON mapping needs to know about it, worked out once. */
    record Field(FieldDescriptor descriptor, String jsonName, boolean inline, boolean keepZero,
                 MessageKind valueKind) {

        boolean isMessage() {
            return descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
        }
    }

    final Descriptor type;
    final MessageKind kind;
    private final Field[] byNumber;
    /** Fields in field-number order, the order Go writes them. */
    final List<Field> fields;

    MessageLayout(Descriptor type) {
        this.type = type;
        this.kind = MessageKind.of(type);
        int max = 0;
        for (FieldDescriptor f : type.getFields()) {
            max = Math.max(max, f.getNumber());
        }
        byNumber = new Field[max + 1];
        List<Field> ordered = new ArrayList<>();
        for (FieldDescriptor f : type.getFields()) {
            MessageKind valueKind = null;
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
                valueKind = MessageKind.of(f.getMessageType());
            }
            Field field = new Field(f, JsonRules.jsonName(f), JsonRules.isInline(f), JsonRules.keepZero(f),
                    valueKind);
            byNumber[f.getNumber()] = field;
            ordered.add(field);
        }
        ordered.sort(Comparator.comparingInt(f -> f.descriptor().getNumber()));
        fields = List.copyOf(ordered);
    }

    Field field(int number) {
        return number < byNumber.length ? byNumber[number] : null;
    }
}
