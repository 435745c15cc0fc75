package io.kube4j.bench.apiserver;

/** The raw JSON bodies the bench sends, and the few fields it reads back, without a JSON library on the hot path. */
final class Manifests {
    private static final String CONFIG_VALUE = "x".repeat(512);

    private Manifests() {
    }

    /** A kind the bench drives: its collection path in a namespace and a body for a named object. */
    enum Kind {
        CONFIGMAPS("configmaps"), PODS("pods");

        final String resource;

        Kind(String resource) {
            this.resource = resource;
        }

        String collection(String namespace) {
            return "/api/v1/namespaces/" + namespace + "/" + resource;
        }

        String item(String namespace, String name) {
            return collection(namespace) + "/" + name;
        }

        String body(String namespace, String name) {
            return this == CONFIGMAPS ? configMap(namespace, name) : pod(namespace, name);
        }
    }

    static String namespace(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    static String configMap(String namespace, String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\",\"labels\":{\"app\":\"bench\",\"gen\":\"g0\"}},"
                + "\"data\":{\"key\":\"" + CONFIG_VALUE + "\"}}";
    }

    static String pod(String namespace, String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":{\"app\":\"bench\",\"gen\":\"g0\"}},\"spec\":{\"containers\":[{"
                + "\"name\":\"main\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"3600\"],"
                + "\"ports\":[{\"containerPort\":8080}],\"resources\":{\"requests\":{\"cpu\":\"10m\","
                + "\"memory\":\"16Mi\"}}}],\"restartPolicy\":\"Always\"}}";
    }

    /**
     * The update the bench sends: the object as the server returned it (so with its resourceVersion and
     * whatever the server defaulted) with one label changed; the change a controller typically makes.
     */
    static String relabel(String storedJson, int generation) {
        int at = storedJson.indexOf("\"gen\":\"g");
        if (at < 0) {
            throw new IllegalStateException("no gen label in " + abbreviate(storedJson));
        }
        int valueStart = at + "\"gen\":\"".length();
        int valueEnd = storedJson.indexOf('"', valueStart);
        return storedJson.substring(0, valueStart) + "g" + generation + storedJson.substring(valueEnd);
    }

    /** The first resourceVersion in a JSON body: a list's own comes first in both servers' output. */
    static String resourceVersion(String json) {
        String key = "\"resourceVersion\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
