package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An update that names a uid other than the stored one is refused as upstream's (422, metadata.uid is immutable), the
 * status subresource's too: the kubelet names the pod's uid in its status patches so that a late write never lands
 * on a pod deleted and created again under the same name. One that names none keeps the stored uid.
 */
class UpdateUidTest {

    @TempDir
    static Path dir;
    static RegistryFixture fixture;

    @BeforeAll
    static void open() {
        fixture = new RegistryFixture(dir);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static GenericRegistry registry(String plural) {
        return fixture.core(plural);
    }

    private static ObjectNode parse(String json) {
        return RegistryFixture.parse(json);
    }

    private static ObjectNode withUid(ObjectNode obj, String uid) {
        ObjectNode copy = obj.deepCopy();
        Json.metadata(copy).remove("resourceVersion");
        if (uid == null) {
            Json.metadata(copy).remove("uid");
        } else {
            Json.metadata(copy).put("uid", uid);
        }
        return copy;
    }

    @Test
    void anUpdateNamingAnotherUidIsRefusedAndOneNamingNoneKeepsTheStoredUid() {
        GenericRegistry configMaps = registry("configmaps");
        ObjectNode created = configMaps.create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"cm\"},\"data\":{\"a\":\"1\"}}"), false, "test");
        String uid = created.path("metadata").path("uid").asString();

        ObjectNode other = withUid(created, "00000000-0000-0000-0000-000000000001");
        other.putObject("data").put("a", "2");
        StatusException refused = catchThrowableOfType(
                () -> configMaps.update("ns", "cm", other, false, false, "test"), StatusException.class);
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("metadata.uid").contains("field is immutable");
        assertThat(configMaps.get("ns", "cm").path("data").path("a").asString()).isEqualTo("1");

        ObjectNode none = withUid(created, null);
        none.putObject("data").put("a", "3");
        ObjectNode updated = configMaps.update("ns", "cm", none, false, false, "test");
        assertThat(updated.path("metadata").path("uid").asString()).isEqualTo(uid);
        assertThat(updated.path("data").path("a").asString()).isEqualTo("3");
    }

    @Test
    void aStatusWriteForAPodOfTheSameNameButAnotherUidIsRefused() {
        GenericRegistry pods = registry("pods");
        ObjectNode created = pods.create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
                + "\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}"),
                false, "test");
        String uid = created.path("metadata").path("uid").asString();

        ObjectNode late = withUid(created, "00000000-0000-0000-0000-000000000002");
        late.putObject("status").put("phase", "Running");
        StatusException refused = catchThrowableOfType(
                () -> pods.update("ns", "p", late, false, true, "kubelet"), StatusException.class);
        assertThat(refused.code()).isEqualTo(422);
        assertThat(pods.get("ns", "p").path("status").path("phase").asString()).isEqualTo("Pending");

        ObjectNode meant = withUid(created, uid);
        meant.putObject("status").put("phase", "Running");
        assertThat(pods.update("ns", "p", meant, false, true, "kubelet").path("status").path("phase").asString())
                .isEqualTo("Running");
    }
}
