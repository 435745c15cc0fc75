package io.kube4j.api.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A kind's defaulting resolved once does what {@link Defaults#apply} does for it, object after object. */
class DefaultsForKindTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ObjectNode pod() {
        return (ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
                + "[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    }

    @Test
    void theResolvedDefaultingOfAKindIsTheOneApplyUses() {
        Consumer<ObjectNode> podDefaults = Defaults.forKind("", "Pod");
        ObjectNode first = pod();
        ObjectNode second = pod();
        podDefaults.accept(first);
        podDefaults.accept(second);
        ObjectNode applied = pod();
        Defaults.apply("", "Pod", applied);
        assertThat(first.at("/spec/restartPolicy").asString()).isEqualTo("Always");
        assertThat(first).isEqualTo(applied);
        assertThat(second).isEqualTo(applied);
        // a null group is core, as for apply
        ObjectNode nullGroup = pod();
        Defaults.forKind(null, "Pod").accept(nullGroup);
        assertThat(nullGroup).isEqualTo(applied);
    }

    @Test
    void aKindWithoutDefaultsIsLeftAsItIs() {
        ObjectNode widget = pod();
        Defaults.forKind("example.com", "Widget").accept(widget);
        assertThat(widget).isEqualTo(pod());
        // a group's defaults are not another group's: apps has no Pod
        ObjectNode appsPod = pod();
        Defaults.forKind("apps", "Pod").accept(appsPod);
        assertThat(appsPod).isEqualTo(pod());
    }
}
