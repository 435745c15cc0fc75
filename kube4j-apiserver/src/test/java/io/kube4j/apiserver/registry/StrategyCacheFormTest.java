package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.strategies.PodStrategy;
import io.kube4j.apiserver.watchcache.CacheForm;
import io.kube4j.apiserver.watchcache.CachedObject;
import io.kube4j.store.KeyValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch cache keeps stored bytes and the attributes a selection reads: selecting from them must answer as
 * selecting from the decoded object does, and a watch line built from the bytes must be what encoding gives.
 */
class StrategyCacheFormTest {

    private static final ResourceType PODS = ResourceRegistry.builtin().find("", "v1", "pods").orElseThrow();
    private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p1\","
            + "\"namespace\":\"ns1\",\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"spec\":{\"nodeName\":\"n1\","
            + "\"hostNetwork\":true,\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},"
            + "\"status\":{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"10.0.0.5\"}]}}";

    private final PodStrategy strategy = new PodStrategy(PODS);
    private final CacheForm form = new StrategyCacheForm(StoredForm.AS_SERVED, strategy);

    private CachedObject entry(String json, long revision) {
        KeyValue kv = new KeyValue("/registry/pods/ns1/p1", json.getBytes(StandardCharsets.UTF_8), 1, revision, 1, 0);
        return new CachedObject(kv, form.attributes(form.decode(kv.value(), revision)), form);
    }

    private Selection selection(String namespace, String labels, String fields, ResourceStrategy by) {
        return new Selection(namespace, LabelSelector.parse(labels), FieldSelector.parse(fields), by);
    }

    @Test
    void selectingFromTheAttributesAnswersAsSelectingFromTheObject() {
        CachedObject cached = entry(POD, 12);
        ObjectNode decoded = cached.object();
        String[][] cases = {
                {null, "", ""}, {"ns1", "", ""}, {"ns2", "", ""},
                {null, "app=web", ""}, {null, "app=db", ""}, {null, "tier in (front,back),app", ""},
                {null, "!app", ""}, {null, "", "spec.nodeName=n1"}, {null, "", "spec.nodeName=n2"},
                {null, "", "spec.nodeName!=n2,status.phase=Running"}, {null, "", "spec.hostNetwork=true"},
                {null, "", "status.podIPs=10.0.0.5"}, {null, "", "metadata.name=p1"},
                {"ns1", "", "metadata.namespace=ns1"}, {null, "", "spec.schedulerName="},
                {"ns1", "app=web", "spec.nodeName=n1"},
        };
        for (String[] c : cases) {
            Selection s = selection(c[0], c[1], c[2], strategy);
            assertThat(s.matches(cached)).as("%s %s %s", c[0], c[1], c[2]).isEqualTo(s.matches(decoded));
        }
        // and the cases really differ: the comparison above is not all one answer
        assertThat(selection(null, "", "spec.nodeName=n1", strategy).matches(cached)).isTrue();
        assertThat(selection(null, "", "spec.nodeName=n2", strategy).matches(cached)).isFalse();
    }

    @Test
    void aStrategyThatDidNotReadTheFieldsReadsTheObject() {
        CachedObject cached = entry(POD, 12);
        PodStrategy other = new PodStrategy(PODS);
        assertThat(cached.attributes().field("spec.nodeName", other)).isNull();
        assertThat(cached.attributes().field("spec.nodeName", strategy)).isEqualTo("n1");
        assertThat(selection(null, "", "spec.nodeName=n1", other).matches(cached)).isTrue();
        assertThat(selection(null, "", "spec.nodeName=n2", other).matches(cached)).isFalse();
    }

    @Test
    void servedBytesAreWhatEncodingTheDecodedObjectGives() {
        CachedObject cached = entry(POD, 12);
        assertThat(new String(cached.servedBytes(12), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(cached.object()), StandardCharsets.UTF_8));
        // another resourceVersion (a delete's) goes where decoding puts it
        assertThat(new String(cached.servedBytes(20), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(cached.decode(20)), StandardCharsets.UTF_8))
                .contains("\"resourceVersion\":\"20\"");
        // bytes that are not Jackson's compact form (spaces) are decoded and encoded instead
        CachedObject spaced = entry(POD.replace(",\"spec\"", ", \"spec\""), 13);
        assertThat(new String(spaced.servedBytes(13), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(spaced.object()), StandardCharsets.UTF_8))
                .doesNotContain(", \"spec\"");
    }
}
