package io.kube4j.api.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON properties of a fabric8 model class, read from its {@code @JsonProperty} fields. */
final class ModelProperties {

    /** One property: its JSON name and the Java type of the field. */
    record Property(String name, Type type) {

        /** The element class of a list, or the class itself; null for maps and type variables. */
        Class<?> elementClass() {
            Type t = type;
            if (t instanceof ParameterizedType p && List.class.isAssignableFrom((Class<?>) p.getRawType())) {
                t = p.getActualTypeArguments()[0];
            }
            return t instanceof Class<?> c ? c : null;
        }

        boolean isList() {
            Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                    : type instanceof Class<?> c ? c : Object.class;
            return List.class.isAssignableFrom(raw);
        }
    }

    private static final Map<Class<?>, List<Property>> CACHE = new ConcurrentHashMap<>();

    private ModelProperties() {
    }

    /** Properties sorted by name, as upstream's documents list them. */
    static List<Property> of(Class<?> type) {
        return CACHE.computeIfAbsent(type, ModelProperties::read);
    }

    /** A fabric8 model class whose properties become a definition (not a scalar, not a Java library type). */
    static boolean isModel(Class<?> type) {
        return type != null && !type.isEnum() && !type.isPrimitive()
                && type.getName().startsWith(ModelTypes.FABRIC8 + ".");
    }

    private static List<Property> read(Class<?> type) {
        List<Property> properties = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(JsonIgnore.class)) {
                    continue;
                }
                JsonProperty json = field.getAnnotation(JsonProperty.class);
                if (json == null || json.value().isEmpty()) {
                    continue;
                }
                properties.add(new Property(json.value(), field.getGenericType()));
            }
        }
        properties.sort(Comparator.comparing(Property::name));
        return List.copyOf(properties);
    }
}
