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
    private static final String GIT_COMMIT = "0000000000000000000000000000000000000000";

    private VersionInfo() {
    }

    public static ObjectNode json() {
        ObjectNode v = Json.object();
        v.put("major", MAJOR);
        v.put("minor", MINOR);
        v.put("gitVersion", GIT_VERSION);
        v.put("gitCommit", GIT_COMMIT);
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "java" + System.getProperty("java.specification.version"));
        v.put("compiler", "javac");
        v.put("platform", platform());
        return v;
    }

    /**
     * The User-Agent a component's API client sends, in upstream's form ({@code DefaultKubernetesUserAgent}:
     * {@code kube-scheduler/v1.32.0 (linux/amd64) kubernetes/0000000}). The server takes the part before the first
     * {@code /} as the field manager of the component's writes when it names none, so objects written by the
     * scheduler, controllers and kubelet carry upstream's managers in managedFields.
     */
    public static String userAgent(String component) {
        String version = GIT_VERSION.substring(0, GIT_VERSION.indexOf('-')); // upstream drops the pre-release part
        return component + "/" + version + " (" + platform() + ") kubernetes/" + GIT_COMMIT.substring(0, 7);
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
