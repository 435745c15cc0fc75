package io.kube4j.apiserver.admission.cel;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RevisionCacheTest {

    private static ObjectNode object(String uid, String resourceVersion, String expression) {
        ObjectNode object = Json.object();
        object.putObject("metadata").put("name", "p").put("uid", uid).put("resourceVersion", resourceVersion);
        object.put("expression", expression);
        return object;
    }

    @Test
    void anObjectIsCompiledOncePerUidAndResourceVersion() {
        AtomicInteger compilations = new AtomicInteger();
        RevisionCache<String> cache = new RevisionCache<>(o -> {
            compilations.incrementAndGet();
            return new String(Json.text(o, "expression"));
        });
        String first = cache.get(object("u1", "1", "true"));

        assertThat(cache.get(object("u1", "1", "true"))).isSameAs(first);
        assertThat(compilations).hasValue(1);
        String changed = cache.get(object("u1", "2", "false"));
        assertThat(changed).isEqualTo("false");
        // an object deleted and created again under the same name has another uid
        assertThat(cache.get(object("u2", "2", "false"))).isNotSameAs(changed);
        assertThat(compilations).hasValue(3);

        cache.retain(Set.of("u2"));
        assertThat(cache.size()).isEqualTo(1);
    }
}
