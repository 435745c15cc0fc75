package io.kube4j.kubelet.status;

/** What the probes say about a running container. */
public interface ContainerHealth {
    ContainerHealth ALWAYS = new ContainerHealth() {
        @Override
        public boolean ready(String podUid, String containerName, String containerId) {
            return true;
        }

        @Override
        public boolean started(String podUid, String containerName, String containerId) {
            return true;
        }
    };

    boolean ready(String podUid, String containerName, String containerId);

    boolean started(String podUid, String containerName, String containerId);
}
