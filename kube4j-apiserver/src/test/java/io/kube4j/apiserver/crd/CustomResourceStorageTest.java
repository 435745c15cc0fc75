package io.kube4j.apiserver.crd;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading and writing custom resources in their storage version, with defaults applied on read. */
class CustomResourceStorageTest {

    private static Crd crd(String v1Schema, String v2Schema) {
        return Crd.of(json("""
                {"metadata":{"name":"widgets.x.io"},"spec":{"group":"x.io","scope":"Namespaced",
                 "names":{"plural":"widgets","kind":"Widget"},
                 "versions":[
                   {"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":%s}},
                   {"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":%s}}]}}
                """.formatted(v1Schema, v2Schema)));
    }

    private static final String PLAIN = """
            {"type":"object","properties":{"spec":{"type":"object","properties":{"mode":{"type":"string"}}}}}""";
    private static final String DEFAULTED = """
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "mode":{"type":"string","default":"fast"}}}}}""";

    @Test
    void writesInTheStorageVersionAndServesTheRequestedOne() {
        Crd crd = crd(PLAIN, PLAIN);
        CustomResourceStorage v1 = CustomResourceStorage.of(crd, crd.versions().get(0));
        ObjectNode served = (ObjectNode) json("{\"apiVersion\":\"x.io/v1\",\"kind\":\"Widget\",\"spec\":{}}");

        ObjectNode stored = v1.toStored(served);
        assertThat(stored.path("apiVersion").asString()).isEqualTo("x.io/v2");
        assertThat(served.path("apiVersion").asString()).as("the caller's object is left alone").isEqualTo("x.io/v1");

        assertThat(v1.toServed(stored.deepCopy()).path("apiVersion").asString()).isEqualTo("x.io/v1");
        assertThat(v1.defaultsOnRead()).isFalse();
    }

    @Test
    void appliesTheStoredVersionsDefaultsOnRead() {
        Crd crd = crd(PLAIN, DEFAULTED);
        CustomResourceStorage v1 = CustomResourceStorage.of(crd, crd.versions().get(0));
        assertThat(v1.defaultsOnRead()).isTrue();

        ObjectNode storedAsV2 = (ObjectNode) json("{\"apiVersion\":\"x.io/v2\",\"kind\":\"Widget\",\"spec\":{}}");
        assertThat(v1.toServed(storedAsV2).path("spec").path("mode").asString()).isEqualTo("fast");

        // an object stored as v1 (before v2 became the storage version) gets v1's defaults: none
        ObjectNode storedAsV1 = (ObjectNode) json("{\"apiVersion\":\"x.io/v1\",\"kind\":\"Widget\",\"spec\":{}}");
        assertThat(v1.toServed(storedAsV1).path("spec").has("mode")).isFalse();

        ObjectNode set = (ObjectNode) json("{\"apiVersion\":\"x.io/v2\",\"kind\":\"Widget\",\"spec\":{\"mode\":\"slow\"}}");
        assertThat(v1.toServed(set).path("spec").path("mode").asString()).as("a set value wins").isEqualTo("slow");
    }

    @Test
    void keyChangesWithDefaultsAndVersionsOnly() {
        Crd plain = crd(PLAIN, PLAIN);
        Crd defaulted = crd(PLAIN, DEFAULTED);
        String plainKey = CustomResourceStorage.of(plain, plain.versions().get(1)).key();
        assertThat(CustomResourceStorage.of(crd(PLAIN, PLAIN), plain.versions().get(1)).key()).isEqualTo(plainKey);
        assertThat(CustomResourceStorage.of(defaulted, defaulted.versions().get(1)).key()).isNotEqualTo(plainKey);
        assertThat(CustomResourceStorage.of(plain, plain.versions().get(0)).key()).isNotEqualTo(plainKey);
    }

    @Test
    void findsDefaultsAnywhereInASchema() {
        assertThat(CustomResourceStorage.hasDefaults(json(PLAIN))).isFalse();
        assertThat(CustomResourceStorage.hasDefaults(json(DEFAULTED))).isTrue();
        assertThat(CustomResourceStorage.hasDefaults(json("""
                {"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
                 "properties":{"n":{"type":"integer","default":1}}}}}}"""))).isTrue();
        assertThat(CustomResourceStorage.hasDefaults(null)).isFalse();
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
