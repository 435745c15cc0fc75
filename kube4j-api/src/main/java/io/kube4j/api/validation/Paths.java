package io.kube4j.api.validation;

/** Field path strings as upstream's {@code field.Path} prints them: {@code spec.containers[0].ports[1]}, {@code data[key]}. */
final class Paths {
    private Paths() {
    }

    static String child(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static String key(String path, String key) {
        return path + "[" + key + "]";
    }
}
