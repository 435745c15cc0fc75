package io.kube4j.kubelet.nodestatus;

/** The Kubernetes version this kubelet behaves as. */
public final class KubeletVersion {
    public static final String VERSION = "v1.32.0-kube4j";

    private KubeletVersion() {
    }
}
