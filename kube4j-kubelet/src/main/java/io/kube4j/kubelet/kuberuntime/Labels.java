package io.kube4j.kubelet.kuberuntime;

/** The labels and annotations upstream's kuberuntime puts on sandboxes and containers; containerd tooling reads them too. */
public final class Labels {
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    public static final String CONTAINER_TYPE = "io.kubernetes.container.type";
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    public static final String GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    public static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    public static final String CONFIG_SEEN = "kubernetes.io/config.seen";

    private Labels() {
    }

    public static int restartCount(java.util.Map<String, String> annotations) {
        try {
            return Integer.parseInt(annotations.getOrDefault(RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
