package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/**
 * A pod's ephemeral (debugging) containers as the containers the kubelet runs, as upstream converts
 * EphemeralContainerCommon to a Container: the same fields, of which the API lets a debugging container set only the
 * ones copied here (no ports, resources, probes, lifecycle hooks or restart policy).
 */
public final class EphemeralContainers {
    private EphemeralContainers() {
    }

    /** The pod's ephemeral containers, in spec order (none for most pods). */
    public static List<EphemeralContainer> of(Pod pod) {
        var list = pod.getSpec().getEphemeralContainers();
        return list == null ? List.of() : list;
    }

    public static Container asContainer(EphemeralContainer ec) {
        return new ContainerBuilder()
                .withName(ec.getName())
                .withImage(ec.getImage())
                .withCommand(ec.getCommand())
                .withArgs(ec.getArgs())
                .withWorkingDir(ec.getWorkingDir())
                .withEnvFrom(ec.getEnvFrom())
                .withEnv(ec.getEnv())
                .withVolumeMounts(ec.getVolumeMounts())
                .withVolumeDevices(ec.getVolumeDevices())
                .withTerminationMessagePath(ec.getTerminationMessagePath())
                .withTerminationMessagePolicy(ec.getTerminationMessagePolicy())
                .withImagePullPolicy(ec.getImagePullPolicy())
                .withSecurityContext(ec.getSecurityContext())
                .withStdin(ec.getStdin())
                .withStdinOnce(ec.getStdinOnce())
                .withTty(ec.getTty())
                .build();
    }
}
