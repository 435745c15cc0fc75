package io.kube4j.apiserver.registry.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.FieldPaths;
import io.kube4j.apiserver.registry.ResourceStrategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The pod strategy's field values (read on every pod write by the watch cache) are those a dotted path reads. */
class PodStrategyFieldValueTest {
    private final PodStrategy strategy = new PodStrategy(
            ResourceRegistry.builtin().find("", "v1", "pods").orElseThrow());

    @Test
    void everyPlainFieldReadsWhatItsPathReads() {
        Set<String> fields = new HashSet<>(strategy.selectableFields());
        fields.addAll(ResourceStrategy.META_FIELDS);
        // the two with rules of their own (a default, the first of a list) are checked below
        fields.removeAll(List.of("spec.hostNetwork", "status.podIPs"));
        for (ObjectNode pod : pods()) {
            for (String field : fields) {
                assertThat(strategy.fieldValue(pod, field)).as("%s of %s", field, pod)
                        .isEqualTo(FieldPaths.value(pod, field));
            }
            assertThat(strategy.fieldValue(pod, "metadata.uid")).isEqualTo(FieldPaths.value(pod, "metadata.uid"));
        }
        assertThat(strategy.fieldValue(pods().get(1), "spec.nodeName")).isEqualTo("node-1");
        assertThat(strategy.fieldValue(pods().get(1), "status.phase")).isEqualTo("Running");
        assertThat(strategy.fieldValue(pods().get(0), "spec.nodeName")).isNull();
    }

    @Test
    void hostNetworkAndPodIpsKeepTheirRules() {
        assertThat(strategy.fieldValue(pods().get(0), "spec.hostNetwork")).isEqualTo("false");
        assertThat(strategy.fieldValue(pods().get(1), "spec.hostNetwork")).isEqualTo("true");
        assertThat(strategy.fieldValue(pods().get(0), "status.podIPs")).isEmpty();
        assertThat(strategy.fieldValue(pods().get(1), "status.podIPs")).isEqualTo("10.0.0.7");
    }

    private static ObjectNode pod(String json) {
        return (ObjectNode) Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<ObjectNode> pods() {
        return List.of(
                pod("{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"spec\":{\"containers\":[]}}"),
                pod("{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\",\"uid\":\"u\"},\"spec\":{\"nodeName\":"
                        + "\"node-1\",\"restartPolicy\":\"Always\",\"schedulerName\":\"default-scheduler\","
                        + "\"serviceAccountName\":\"default\",\"hostNetwork\":true},\"status\":{\"phase\":\"Running\","
                        + "\"podIP\":\"10.0.0.7\",\"podIPs\":[{\"ip\":\"10.0.0.7\"}],\"nominatedNodeName\":\"n\"}}"),
                pod("{\"metadata\":{\"name\":\"c\"},\"spec\":\"not an object\",\"status\":{\"phase\":null,"
                        + "\"podIP\":{\"nested\":1},\"nominatedNodeName\":7}}"),
                pod("{\"metadata\":[],\"status\":[]}"));
    }
}
