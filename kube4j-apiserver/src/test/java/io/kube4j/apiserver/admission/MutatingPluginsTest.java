package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static io.kube4j.apiserver.admission.Pods.create;
import static io.kube4j.apiserver.admission.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MutatingPluginsTest {

    final FakeLookup lookup = new FakeLookup();

    @Test
    void serviceAccountDefaultsAndProjectsTheTokenVolume() {
        ObjectNode sa = lookup.put("serviceaccounts", FakeLookup.object("default", "default", "sa-1"));
        sa.putArray("imagePullSecrets").addObject().put("name", "regcred");
        ObjectNode pod = pod("default", "web");

        new ServiceAccountAdmission(lookup).admit(create(pod));

        assertThat(Json.text(pod, "spec", "serviceAccountName")).isEqualTo("default");
        JsonNode volume = pod.path("spec").path("volumes").get(0);
        assertThat(volume.path("name").asString()).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        JsonNode sources = volume.path("projected").path("sources");
        assertThat(sources.get(0).path("serviceAccountToken").path("expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(sources.get(0).path("serviceAccountToken").path("path").asString()).isEqualTo("token");
        assertThat(sources.get(1).path("configMap").path("name").asString()).isEqualTo("kube-root-ca.crt");
        assertThat(sources.get(2).path("downwardAPI").path("items").get(0).path("fieldRef").path("fieldPath")
                .asString()).isEqualTo("metadata.namespace");
        JsonNode mount = Pods.container(pod).path("volumeMounts").get(0);
        assertThat(mount.path("mountPath").asString()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        assertThat(mount.path("name").asString()).isEqualTo(volume.path("name").asString());
        assertThat(pod.path("spec").path("imagePullSecrets").get(0).path("name").asString()).isEqualTo("regcred");
    }

    @Test
    void serviceAccountHonoursAutomountAndRequiresTheAccount() {
        ObjectNode sa = lookup.put("serviceaccounts", FakeLookup.object("default", "builder", "sa-1"));
        sa.put("automountServiceAccountToken", false);
        ObjectNode pod = pod("default", "web");
        ((ObjectNode) pod.get("spec")).put("serviceAccountName", "builder");
        new ServiceAccountAdmission(lookup).admit(create(pod));
        assertThat(pod.path("spec").has("volumes")).isFalse();

        ObjectNode orphan = pod("default", "x");
        ((ObjectNode) orphan.get("spec")).put("serviceAccountName", "ghost");
        assertThatThrownBy(() -> new ServiceAccountAdmission(lookup).admit(create(orphan)))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"x\" is forbidden: error looking up service account default/ghost: "
                        + "serviceaccount \"ghost\" not found");
    }

    @Test
    void defaultTolerationSecondsAddsBothOnce() {
        ObjectNode pod = pod("default", "web");
        ((ObjectNode) pod.get("spec")).putArray("tolerations").addObject()
                .put("key", DefaultTolerationSecondsAdmission.NOT_READY).put("operator", "Exists")
                .put("effect", "NoExecute").put("tolerationSeconds", 10);
        new DefaultTolerationSecondsAdmission().admit(create(pod));
        JsonNode tolerations = pod.path("spec").path("tolerations");
        assertThat(tolerations.size()).isEqualTo(2);
        assertThat(tolerations.get(0).path("tolerationSeconds").asLong()).isEqualTo(10);
        assertThat(tolerations.get(1).path("key").asString()).isEqualTo(DefaultTolerationSecondsAdmission.UNREACHABLE);
        assertThat(tolerations.get(1).path("tolerationSeconds").asLong()).isEqualTo(300);
    }

    @Test
    void priorityResolvesClasses() {
        ObjectNode high = lookup.put("priorityclasses", FakeLookup.object(null, "high", "pc-1"));
        high.put("value", 1000);
        ObjectNode standard = lookup.put("priorityclasses", FakeLookup.object(null, "standard", "pc-2"));
        standard.put("value", 10).put("globalDefault", true).put("preemptionPolicy", "Never");
        PriorityAdmission priority = new PriorityAdmission(lookup);

        ObjectNode plain = pod("default", "a");
        priority.admit(create(plain));
        assertThat(plain.path("spec").path("priority").asLong()).isEqualTo(10);
        assertThat(Json.text(plain, "spec", "priorityClassName")).isEqualTo("standard");
        assertThat(Json.text(plain, "spec", "preemptionPolicy")).isEqualTo("Never");

        ObjectNode named = pod("default", "b");
        ((ObjectNode) named.get("spec")).put("priorityClassName", "high");
        priority.admit(create(named));
        assertThat(named.path("spec").path("priority").asLong()).isEqualTo(1000);

        ObjectNode critical = pod("kube-system", "c");
        ((ObjectNode) critical.get("spec")).put("priorityClassName", "system-node-critical");
        priority.admit(create(critical));
        assertThat(critical.path("spec").path("priority").asLong()).isEqualTo(2000001000L);

        ObjectNode unknown = pod("default", "d");
        ((ObjectNode) unknown.get("spec")).put("priorityClassName", "nope");
        assertThatThrownBy(() -> priority.admit(create(unknown)))
                .hasMessage("pods \"d\" is forbidden: no PriorityClass with name nope was found");
    }

    @Test
    void limitRangerDefaultsAndBounds() {
        ObjectNode limitRange = lookup.put("limitranges", FakeLookup.object("default", "limits", "lr-1"));
        ObjectNode item = limitRange.putObject("spec").putArray("limits").addObject().put("type", "Container");
        item.putObject("default").put("cpu", "500m").put("memory", "256Mi");
        item.putObject("defaultRequest").put("cpu", "100m");
        item.putObject("max").put("cpu", "1");
        item.putObject("min").put("cpu", "50m");
        LimitRangerAdmission limitRanger = new LimitRangerAdmission(lookup);

        ObjectNode pod = pod("default", "web");
        AdmissionRequest request = create(pod);
        limitRanger.admit(request);
        limitRanger.validate(request);
        JsonNode resources = Pods.container(pod).path("resources");
        assertThat(resources.path("limits").path("cpu").asString()).isEqualTo("500m");
        assertThat(resources.path("limits").path("memory").asString()).isEqualTo("256Mi");
        assertThat(resources.path("requests").path("cpu").asString()).isEqualTo("100m");

        ObjectNode big = Pods.withResources(pod("default", "big"), "100m", "2");
        AdmissionRequest bigRequest = create(big);
        limitRanger.admit(bigRequest);
        assertThatThrownBy(() -> limitRanger.validate(bigRequest)).isInstanceOf(StatusException.class)
                .hasMessage("pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");

        ObjectNode small = Pods.withResources(pod("default", "small"), "10m", "20m");
        AdmissionRequest smallRequest = create(small);
        limitRanger.admit(smallRequest);
        assertThatThrownBy(() -> limitRanger.validate(smallRequest))
                .hasMessage("pods \"small\" is forbidden: minimum cpu usage per Container is 50m, but request is 10m");
    }
}
