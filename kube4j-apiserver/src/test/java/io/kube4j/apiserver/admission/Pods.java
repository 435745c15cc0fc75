package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** Test pods and requests. */
final class Pods {

    static final UserInfo ADMIN = UserInfo.of("system:admin", "system:masters", "system:authenticated");

    private Pods() {
    }

    static ObjectNode pod(String namespace, String name) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", namespace);
        pod.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "busybox");
        return pod;
    }

    static ObjectNode container(ObjectNode pod) {
        return (ObjectNode) pod.path("spec").path("containers").get(0);
    }

    static ObjectNode withResources(ObjectNode pod, String cpuRequest, String cpuLimit) {
        ObjectNode resources = container(pod).putObject("resources");
        if (cpuRequest != null) {
            resources.putObject("requests").put("cpu", cpuRequest);
        }
        if (cpuLimit != null) {
            resources.putObject("limits").put("cpu", cpuLimit);
        }
        return pod;
    }

    static AdmissionRequest create(ObjectNode pod) {
        return create(pod, ADMIN);
    }

    static AdmissionRequest create(ObjectNode pod, UserInfo user) {
        return new AdmissionRequest(Operation.CREATE, "", "pods", "", Json.text(pod, "metadata", "namespace"),
                Json.text(pod, "metadata", "name"), pod, null, user, false);
    }
}
