package io.kube4j.api.patch;

import static io.kube4j.api.patch.Json.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonPatchTest {

    private static final JsonNode POD = j("{'metadata':{'name':'p','labels':{'a':'1'}},'spec':{'containers':[{'name':'c','image':'i1'}]}}");

    @Test
    void appliesOperationsWithoutTouchingTheInput() {
        JsonNode out = JsonPatch.apply(POD, j("[{'op':'replace','path':'/spec/containers/0/image','value':'i2'},"
                + "{'op':'add','path':'/metadata/labels/b','value':'2'},{'op':'remove','path':'/metadata/labels/a'},"
                + "{'op':'test','path':'/metadata/name','value':'p'}]"));
        assertThat(out).isEqualTo(j("{'metadata':{'name':'p','labels':{'b':'2'}},'spec':{'containers':[{'name':'c','image':'i2'}]}}"));
        assertThat(POD.at("/spec/containers/0/image").asString()).isEqualTo("i1");
    }

    @Test
    void addToArrayEnd() {
        JsonNode out = JsonPatch.apply(POD, j("[{'op':'add','path':'/spec/containers/-','value':{'name':'d'}}]"));
        assertThat(out.at("/spec/containers/1/name").asString()).isEqualTo("d");
    }

    @Test
    void failedOperationsAre422() {
        assertThatThrownBy(() -> JsonPatch.apply(POD, j("[{'op':'test','path':'/metadata/name','value':'x'}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(422));
        assertThatThrownBy(() -> JsonPatch.apply(POD, j("[{'op':'replace','path':'/metadata/nope','value':'x'}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(422));
        assertThatThrownBy(() -> JsonPatch.apply(POD, j("[{'op':'remove','path':'/metadata/nope'}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(422));
        assertThatThrownBy(() -> JsonPatch.apply(POD, j("[{'op':'add','path':'/a/b/c','value':1}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(422));
    }

    @Test
    void malformedPatchesAre400() {
        for (String bad : new String[] {"{'op':'add'}", "[{'op':'frob','path':'/a'}]", "[{'path':'/a'}]",
                "[{'op':'add','path':'/a'}]", "[{'op':'move','path':'/a'}]", "[1]", "[{'op':'add','value':1}]"}) {
            assertThatThrownBy(() -> JsonPatch.apply(POD, j(bad))).as(bad)
                    .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }
}
