package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static io.kube4j.apiserver.admission.Pods.create;
import static io.kube4j.apiserver.admission.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeClassAdmissionTest {

    final FakeLookup lookup = new FakeLookup();
    final RuntimeClassAdmission plugin = new RuntimeClassAdmission(lookup);

    private ObjectNode runtimeClass(String name, String json) {
        ObjectNode rc = (ObjectNode) Json.parse(json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        rc.putObject("metadata").put("name", name);
        return lookup.put("runtimeclasses", rc);
    }

    private static ObjectNode podOf(String runtimeClassName) {
        ObjectNode pod = pod("default", "web");
        ((ObjectNode) pod.get("spec")).put("runtimeClassName", runtimeClassName);
        return pod;
    }

    /** What the chain does: every mutating plugin, then every validating one. */
    private void admitAndValidate(ObjectNode pod) {
        AdmissionRequest request = create(pod);
        plugin.admit(request);
        plugin.validate(request);
    }

    @Test
    void aMissingRuntimeClassIsForbiddenAsUpstreamWordsIt() {
        assertThatThrownBy(() -> plugin.admit(create(podOf("kata"))))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(403))
                .hasMessage("pods \"web\" is forbidden: pod rejected: RuntimeClass \"kata\" not found");
    }

    @Test
    void aPodWithoutRuntimeClassIsLeftAlone() {
        ObjectNode pod = pod("default", "web");
        String before = pod.toString();
        admitAndValidate(pod);
        assertThat(pod.toString()).isEqualTo(before);
    }

    @Test
    void overheadIsCopiedAndMustMatch() {
        runtimeClass("kata", "{'handler':'kata','overhead':{'podFixed':{'cpu':'250m','memory':'120Mi'}}}");
        ObjectNode pod = podOf("kata");
        admitAndValidate(pod);
        assertThat(pod.path("spec").path("overhead").toString()).isEqualTo("{\"cpu\":\"250m\",\"memory\":\"120Mi\"}");

        // the same overhead written another way is the same overhead
        ObjectNode same = podOf("kata");
        ((ObjectNode) same.get("spec")).putObject("overhead").put("cpu", "0.25").put("memory", "120Mi");
        admitAndValidate(same);

        ObjectNode other = podOf("kata");
        ((ObjectNode) other.get("spec")).putObject("overhead").put("cpu", "1");
        assertThatThrownBy(() -> plugin.admit(create(other))).isInstanceOf(StatusException.class)
                .hasMessage("pods \"web\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's "
                        + "defined Overhead");
    }

    @Test
    void anOverheadWithoutARuntimeClassOverheadIsRefused() {
        runtimeClass("plain", "{'handler':'runc'}");
        ObjectNode pod = podOf("plain");
        ((ObjectNode) pod.get("spec")).putObject("overhead").put("cpu", "100m");
        assertThatThrownBy(() -> admitAndValidate(pod)).isInstanceOf(StatusException.class)
                .hasMessage("pods \"web\" is forbidden: pod rejected: Pod Overhead set without corresponding "
                        + "RuntimeClass defined Overhead");
        ObjectNode classless = pod("default", "web");
        ((ObjectNode) classless.get("spec")).putObject("overhead").put("cpu", "100m");
        assertThatThrownBy(() -> plugin.validate(create(classless))).isInstanceOf(StatusException.class);
    }

    @Test
    void schedulingIsMergedIntoThePod() {
        runtimeClass("kata", "{'handler':'kata','scheduling':{'nodeSelector':{'runtime':'kata'},'tolerations':["
                + "{'key':'runtime','operator':'Equal','value':'kata','effect':'NoSchedule'},"
                + "{'key':'gpu','operator':'Exists'}]}}");
        ObjectNode pod = podOf("kata");
        ObjectNode spec = (ObjectNode) pod.get("spec");
        spec.putObject("nodeSelector").put("zone", "a");
        // the class's gpu toleration (any effect) covers the pod's NoExecute one, which the merge leaves out
        spec.putArray("tolerations").addObject().put("key", "gpu").put("operator", "Exists").put("effect", "NoExecute");
        admitAndValidate(pod);
        assertThat(Json.stringMap(spec.get("nodeSelector"))).containsExactly(
                java.util.Map.entry("zone", "a"), java.util.Map.entry("runtime", "kata"));
        assertThat(spec.get("tolerations").toString()).isEqualTo("[{\"key\":\"runtime\",\"operator\":\"Equal\","
                + "\"value\":\"kata\",\"effect\":\"NoSchedule\"},{\"key\":\"gpu\",\"operator\":\"Exists\"}]");
    }

    @Test
    void aConflictingNodeSelectorIsRefused() {
        runtimeClass("kata", "{'handler':'kata','scheduling':{'nodeSelector':{'runtime':'kata'}}}");
        ObjectNode pod = podOf("kata");
        ((ObjectNode) pod.get("spec")).putObject("nodeSelector").put("runtime", "runc");
        assertThatThrownBy(() -> plugin.admit(create(pod))).isInstanceOf(StatusException.class)
                .hasMessage("pods \"web\" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; "
                        + "pod.spec.nodeSelector[runtime] = runc");
    }

    @Test
    void onlyPodCreatesAreAdmitted() {
        ObjectNode pod = podOf("missing");
        AdmissionRequest update = new AdmissionRequest(Operation.UPDATE, "", "pods", "", "default", "web", pod,
                pod.deepCopy(), Pods.ADMIN, false);
        plugin.admit(update);
        plugin.validate(update);
    }
}
