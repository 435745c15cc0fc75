package io.kube4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod-template-hash: FNV-32a over a canonical form of the template plus the collision count,
 * encoded with upstream's SafeEncodeString alphabet (no vowels, no ambiguous characters). The value
 * differs from kube-controller-manager's (which hashes a Go dump of the struct); only stability and
 * distinctness matter to clients.
 */
public final class TemplateHash {
    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TemplateHash() {
    }

    public static String compute(PodTemplateSpec template, Integer collisionCount) {
        int hash = 0x811c9dc5;
        byte[] bytes = canonicalJson(template).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            int c = collisionCount;
            for (int i = 0; i < 4; i++) {
                hash ^= (c >>> (8 * i)) & 0xff;
                hash *= 0x01000193;
            }
        }
        String decimal = Long.toString(Integer.toUnsignedLong(hash));
        StringBuilder sb = new StringBuilder();
        for (char ch : decimal.toCharArray()) {
            sb.append(ALPHANUMS.charAt(ch % ALPHANUMS.length()));
        }
        return sb.toString();
    }

    /** The template as JSON with object keys sorted, so map ordering never changes the hash. */
    public static String canonicalJson(PodTemplateSpec template) {
        return SERIALIZATION.asJson(canonical(SERIALIZATION.convertValue(template, Map.class)));
    }

    /** Template equality ignoring the pod-template-hash label, as upstream's EqualIgnoreHash. */
    public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonicalJson(withoutHash(a)).equals(canonicalJson(withoutHash(b)));
    }

    public static PodTemplateSpec withoutHash(PodTemplateSpec t) {
        PodTemplateSpec copy = SERIALIZATION.clone(t);
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
            labels.remove(LABEL);
            copy.getMetadata().setLabels(labels.isEmpty() ? null : labels);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object canonical(Object o) {
        if (o instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = canonical(e.getValue());
                if (v == null || v instanceof Map<?, ?> mm && mm.isEmpty() || v instanceof List<?> l && l.isEmpty()) {
                    continue;
                }
                sorted.put(String.valueOf(e.getKey()), v);
            }
            return sorted;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(canonical(x));
            }
            return out;
        }
        return o;
    }
}
