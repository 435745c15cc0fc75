package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** DefaultStorageClass and StorageObjectInUseProtection on claims and volumes. */
class StorageAdmissionTest {

    final FakeLookup lookup = new FakeLookup();
    final DefaultStorageClassAdmission defaultClass = new DefaultStorageClassAdmission(lookup);
    final StorageObjectInUseProtectionAdmission protection = new StorageObjectInUseProtectionAdmission();

    @Test
    void aClaimWithoutClassGetsTheNewestDefault() {
        storageClass("old-default", "2024-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        storageClass("beta-default", "2025-01-01T00:00:00Z", "storageclass.beta.kubernetes.io/is-default-class");
        storageClass("plain", "2026-01-01T00:00:00Z", null);
        ObjectNode claim = claim("data");

        defaultClass.admit(create("persistentvolumeclaims", claim));

        assertThat(Json.text(claim, "spec", "storageClassName")).isEqualTo("beta-default");
    }

    @Test
    void sameCreationTimeFallsBackToTheFirstName() {
        storageClass("zeta", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        storageClass("alpha", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        ObjectNode claim = claim("data");
        defaultClass.admit(create("persistentvolumeclaims", claim));
        assertThat(Json.text(claim, "spec", "storageClassName")).isEqualTo("alpha");
    }

    @Test
    void aChosenClassOrNoDefaultLeavesTheClaimAlone() {
        ObjectNode noDefault = claim("none");
        defaultClass.admit(create("persistentvolumeclaims", noDefault));
        assertThat(noDefault.path("spec").has("storageClassName")).isFalse();

        storageClass("standard", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        ObjectNode explicitEmpty = claim("empty");
        ((ObjectNode) explicitEmpty.get("spec")).put("storageClassName", "");
        defaultClass.admit(create("persistentvolumeclaims", explicitEmpty));
        assertThat(Json.text(explicitEmpty, "spec", "storageClassName")).isEmpty();

        ObjectNode beta = claim("beta");
        Json.metadata(beta).putObject("annotations").put("volume.beta.kubernetes.io/storage-class", "fast");
        defaultClass.admit(create("persistentvolumeclaims", beta));
        assertThat(beta.path("spec").has("storageClassName")).isFalse();

        ObjectNode named = claim("named");
        ((ObjectNode) named.get("spec")).put("storageClassName", "fast");
        defaultClass.admit(create("persistentvolumeclaims", named));
        assertThat(Json.text(named, "spec", "storageClassName")).isEqualTo("fast");
    }

    @Test
    void onlyCreatesOfClaimsAreDefaulted() {
        storageClass("standard", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        ObjectNode claim = claim("data");
        defaultClass.admit(request(Operation.UPDATE, "persistentvolumeclaims", "", claim));
        defaultClass.admit(request(Operation.CREATE, "persistentvolumeclaims", "status", claim));
        assertThat(claim.path("spec").has("storageClassName")).isFalse();
        ObjectNode notAClaim = claim("pod-like");
        defaultClass.admit(create("pods", notAClaim));
        assertThat(notAClaim.path("spec").has("storageClassName")).isFalse();
    }

    @Test
    void aMalformedSpecIsLeftForValidation() {
        storageClass("standard", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        ObjectNode claim = claim("bad");
        claim.put("spec", "not-an-object");
        defaultClass.admit(create("persistentvolumeclaims", claim));
        assertThat(claim.path("spec").asString()).isEqualTo("not-an-object");
    }

    @Test
    void newClaimsAndVolumesGetTheirProtectionFinalizerOnce() {
        ObjectNode claim = claim("data");
        Json.metadata(claim).putArray("finalizers").add("example.com/keep");
        protection.admit(create("persistentvolumeclaims", claim));
        protection.admit(create("persistentvolumeclaims", claim));
        assertThat(strings(claim.path("metadata").path("finalizers")))
                .containsExactly("example.com/keep", "kubernetes.io/pvc-protection");

        ObjectNode volume = Json.object();
        volume.putObject("metadata").put("name", "pv-1");
        volume.putObject("spec");
        protection.admit(request(Operation.CREATE, "persistentvolumes", "", volume));
        assertThat(strings(volume.path("metadata").path("finalizers"))).containsExactly("kubernetes.io/pv-protection");
    }

    @Test
    void protectionTouchesNothingElse() {
        ObjectNode updated = claim("data");
        protection.admit(request(Operation.UPDATE, "persistentvolumeclaims", "", updated));
        assertThat(updated.path("metadata").has("finalizers")).isFalse();

        ObjectNode pod = Pods.pod("default", "web");
        protection.admit(Pods.create(pod));
        assertThat(pod.path("metadata").has("finalizers")).isFalse();

        ObjectNode malformed = claim("bad");
        Json.metadata(malformed).put("finalizers", "kubernetes.io/pvc-protection");
        protection.admit(create("persistentvolumeclaims", malformed));
        assertThat(malformed.path("metadata").path("finalizers").asString()).isEqualTo("kubernetes.io/pvc-protection");
    }

    @Test
    void theStandardChainDefaultsAndProtectsAClaim() {
        storageClass("standard", "2025-01-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
        AdmissionChain chain = StandardAdmission.chain(lookup, java.util.Optional::of,
                (user, attributes) -> io.kube4j.apiserver.authz.Decision.noOpinion(""));
        ObjectNode claim = claim("data");
        chain.admit(create("persistentvolumeclaims", claim));
        assertThat(Json.text(claim, "spec", "storageClassName")).isEqualTo("standard");
        assertThat(strings(claim.path("metadata").path("finalizers"))).containsExactly("kubernetes.io/pvc-protection");
    }

    // ------------------------------------------------------------------ helpers

    private void storageClass(String name, String created, String defaultAnnotation) {
        ObjectNode sc = lookup.put("storageclasses", FakeLookup.object(null, name, "sc-" + name));
        Json.metadata(sc).put("creationTimestamp", created);
        if (defaultAnnotation != null) {
            Json.metadata(sc).putObject("annotations").put(defaultAnnotation, "true");
        }
        sc.put("provisioner", "kubernetes.io/no-provisioner");
    }

    private static ObjectNode claim(String name) {
        ObjectNode claim = Json.object();
        claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        claim.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = claim.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        return claim;
    }

    private static AdmissionRequest create(String resource, ObjectNode object) {
        return request(Operation.CREATE, resource, "", object);
    }

    private static AdmissionRequest request(Operation op, String resource, String subresource, ObjectNode object) {
        return new AdmissionRequest(op, "", resource, subresource, Json.text(object, "metadata", "namespace"),
                Json.text(object, "metadata", "name"), object, op == Operation.CREATE ? null : object.deepCopy(),
                Pods.ADMIN, false);
    }

    private static java.util.List<String> strings(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
