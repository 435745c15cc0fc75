package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of a field path in server-side apply's FieldsV1 encoding: a field name ({@code f:name}), an item of an
 * associative list by its keys ({@code k:{"name":"x"}}), an item of a set by its value ({@code v:"x"}) or an item by
 * position ({@code i:0}). Records give value equality; keys are held with their fields sorted, as upstream prints them.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** The FieldsV1 key of this element. */
    String encode();

    /**
     * Upstream's order: field names, then keys, then values, then indices; within a kind by name, by key fields (name
     * then value), by value and by number. FieldsV1 is written in this order.
     */
    @Override
    default int compareTo(PathElement other) {
        int c = Integer.compare(rank(this), rank(other));
        if (c != 0) {
            return c;
        }
        if (this instanceof Field f && other instanceof Field g) {
            return f.name().compareTo(g.name());
        }
        if (this instanceof Key k && other instanceof Key l) {
            return compareKeys(k.fields(), l.fields());
        }
        if (this instanceof Value v && other instanceof Value w) {
            return JsonOrder.compare(v.value(), w.value());
        }
        return Integer.compare(((Index) this).index(), ((Index) other).index());
    }

    private static int valueHash(JsonNode v) {
        return v.isNumber() ? Double.hashCode(v.doubleValue()) : v.hashCode();
    }

    private static int rank(PathElement pe) {
        if (pe instanceof Field) {
            return 0;
        }
        if (pe instanceof Key) {
            return 1;
        }
        return pe instanceof Value ? 2 : 3;
    }

    private static int compareKeys(ObjectNode a, ObjectNode b) {
        // Walks both in step rather than copying them to lists: keys are compared on every field set lookup.
        Iterator<Map.Entry<String, JsonNode>> ia = a.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> ib = b.properties().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, JsonNode> ea = ia.next();
            Map.Entry<String, JsonNode> eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c == 0) {
                c = JsonOrder.compare(ea.getValue(), eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** This element as upstream prints it in a path: {@code .name}, {@code [name="c"]}, {@code [="x"]}, {@code [0]}. */
    String display();

    record Field(String name) implements PathElement {
        /** Field against field without the rank lookups: field names are most of every set's elements. */
        @Override
        public int compareTo(PathElement other) {
            return other instanceof Field g ? name.compareTo(g.name) : PathElement.super.compareTo(other);
        }

        @Override
        public String encode() {
            // the same few hundred field names are written in every FieldsV1: their keys are made once
            String key = Json.FIELD_KEYS.get(name);
            if (key == null) {
                key = "f:" + name;
                if (Json.FIELD_KEYS.size() < Json.DECODED_MAX) {
                    Json.FIELD_KEYS.put(name, key);
                }
            }
            return key;
        }

        @Override
        public String display() {
            return "." + name;
        }
    }

    /**
     * An item of an associative list by its key fields. A class rather than a record so that its encoding and hash,
     * asked for on every field set lookup and FieldsV1 write, are computed once; never modified after construction.
     */
    final class Key implements PathElement {
        private final ObjectNode fields;
        // computed on first use; racy but safe as String's hash: a String is immutable, an int written whole, and
        // every thread computes the same value (0 just means "not yet")
        private String encoded;
        private int hash;

        public Key(ObjectNode fields) {
            this.fields = sorted(fields);
        }

        /** The key fields, sorted by name. Not to be modified. */
        public ObjectNode fields() {
            return fields;
        }

        @Override
        public String encode() {
            String e = encoded;
            if (e == null) {
                e = "k:" + fields;
                encoded = e;
            }
            return e;
        }

        @Override
        public String display() {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : fields.properties()) {
                parts.add(e.getKey() + "=" + e.getValue());
            }
            return "[" + String.join(",", parts) + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Key k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            int h = hash;
            if (h == 0) {
                for (Map.Entry<String, JsonNode> e : fields.properties()) {
                    h = 31 * h + e.getKey().hashCode() + valueHash(e.getValue());
                }
                hash = h;
            }
            return h;
        }

        @Override
        public String toString() {
            return "Key[fields=" + fields + "]";
        }
    }

    record Value(JsonNode value) implements PathElement {
        @Override
        public String encode() {
            return "v:" + value;
        }

        @Override
        public String display() {
            return "[=" + value + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && JsonOrder.equal(value, v.value);
        }

        @Override
        public int hashCode() {
            return valueHash(value);
        }
    }

    record Index(int index) implements PathElement {
        @Override
        public String encode() {
            return "i:" + index;
        }

        @Override
        public String display() {
            return "[" + index + "]";
        }
    }

    /**
     * Decodes a FieldsV1 key.
     *
     * @throws IllegalArgumentException for an unknown prefix or malformed JSON
     */
    static PathElement decode(String s) {
        JsonMapper mapper = Json.MAPPER;
        if (s.startsWith("f:")) {
            return new Field(s.substring(2));
        }
        if (s.startsWith("k:")) {
            JsonNode n = mapper.readTree(s.substring(2));
            if (!n.isObject()) {
                throw new IllegalArgumentException("invalid key path element: " + s);
            }
            return new Key((ObjectNode) n);
        }
        if (s.startsWith("v:")) {
            return new Value(mapper.readTree(s.substring(2)));
        }
        if (s.startsWith("i:")) {
            return new Index(Integer.parseInt(s.substring(2)));
        }
        throw new IllegalArgumentException("unknown path element prefix: " + s);
    }

    /** A decoded FieldsV1 key, and whether the key is that element's own encoding ({@link #encode}). */
    record Decoded(PathElement element, boolean canonical) {
    }

    /**
     * {@link #decode} through a bounded cache: every write reads its object's managedFields, whose keys (field names,
     * the keys of containers, ports, env) repeat from object to object, and a {@code k:} key costs a JSON parse. The
     * elements are never modified, so they are shared.
     *
     * @throws IllegalArgumentException for an unknown prefix or malformed JSON (not cached)
     */
    static Decoded decodeKey(String s) {
        Decoded d = Json.DECODED.get(s);
        if (d != null) {
            return d;
        }
        PathElement pe = decode(s);
        // a field name has one encoding; the others are canonical when written back the same
        d = new Decoded(pe, pe instanceof Field || pe.encode().equals(s));
        if (Json.DECODED.size() >= Json.DECODED_MAX) {
            Json.DECODED.clear(); // crude but bounded: the working set of keys is small and refills at once
        }
        Json.DECODED.put(s, d);
        return d;
    }

    private static ObjectNode sorted(ObjectNode fields) {
        String previous = null;
        boolean inOrder = true;
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            if (previous != null && previous.compareTo(e.getKey()) >= 0) {
                inOrder = false;
                break;
            }
            previous = e.getKey();
        }
        if (inOrder) {
            return fields; // already as printed (nearly always: one key, or keys listed in order)
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            names.add(e.getKey());
        }
        names.sort(null);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String n : names) {
            out.set(n, fields.get(n));
        }
        return out;
    }

    /** Holder of the shared mapper (interfaces cannot have private static fields). */
    final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
        static final int DECODED_MAX = 4096;
        static final java.util.concurrent.ConcurrentHashMap<String, String> FIELD_KEYS =
                new java.util.concurrent.ConcurrentHashMap<>();
        static final java.util.concurrent.ConcurrentHashMap<String, Decoded> DECODED =
                new java.util.concurrent.ConcurrentHashMap<>();

        private Json() {
        }
    }
}
