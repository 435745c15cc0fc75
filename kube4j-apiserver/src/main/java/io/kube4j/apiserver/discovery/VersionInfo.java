package io.kube4j.apiserver.discovery;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /version} answer. kubectl's dispatcher picks the kubectl binary from major/minor, so they must
 * say the Kubernetes version whose API kube4j speaks.
 */
public final class VersionInfo {

    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    public static final String GIT_VERSION = "v1.32.0-kube4j";

    private VersionInfo() {
    }

    public static ObjectNode json() {
        ObjectNode v = Json.object();
        v.put("major", MAJOR);
        v.put("minor", MINOR);
        v.put("gitVersion", GIT_VERSION);
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "java" + System.getProperty("java.specification.version"));
        v.put("compiler", "javac");
        v.put("platform", platform());
        return v;
    }

    private static String platform() {
        String arch = System.getProperty("os.arch");
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/" + goArch;
    }
}
