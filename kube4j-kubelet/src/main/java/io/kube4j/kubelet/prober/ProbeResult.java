package io.kube4j.kubelet.prober;

public enum ProbeResult {
    SUCCESS, FAILURE, UNKNOWN
}
