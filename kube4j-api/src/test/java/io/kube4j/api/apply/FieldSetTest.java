package io.kube4j.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.patch.BuiltinPatchSchema;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldSetTest {

    private static final JsonMapper M = JsonMapper.builder().build();

    private static JsonNode j(String s) {
        return M.readTree(s.replace('\'', '"'));
    }

    private static final PathElement METADATA = new PathElement.Field("metadata");
    private static final PathElement LABELS = new PathElement.Field("labels");

    @Test
    void fieldsV1RoundTrip() {
        JsonNode v1 = j("{'f:metadata':{'f:labels':{'.':{},'f:a':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':"
                + "{'.':{},'f:image':{},'f:name':{}}}},'f:finalizers':{'v:\\'x\\'':{}}}");
        FieldSet set = FieldSet.fromFieldsV1(v1);
        assertThat(set.has(List.of(METADATA, LABELS))).isTrue();
        assertThat(set.has(List.of(METADATA, LABELS, new PathElement.Field("a")))).isTrue();
        assertThat(set.has(List.of(METADATA))).isFalse();
        assertThat(set.toFieldsV1()).isEqualTo(v1);
        assertThat(set.paths()).extracting(FieldSet::format).containsExactly(
                ".finalizers[=\"x\"]", ".metadata.labels", ".metadata.labels.a", ".spec.containers[name=\"c\"]",
                ".spec.containers[name=\"c\"].image", ".spec.containers[name=\"c\"].name");
    }

    @Test
    void keysAreSortedWhenEncoded() {
        PathElement k = PathElement.decode("k:{\"protocol\":\"TCP\",\"containerPort\":80}");
        assertThat(k.encode()).isEqualTo("k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(k).isEqualTo(PathElement.decode("k:{\"containerPort\":80,\"protocol\":\"TCP\"}"));
        assertThat(PathElement.decode("i:3")).isEqualTo(new PathElement.Index(3));
        assertThatThrownBy(() -> PathElement.decode("x:1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setOperations() {
        FieldSet a = new FieldSet().insert(METADATA, LABELS, new PathElement.Field("x"))
                .insert(METADATA, LABELS, new PathElement.Field("y"));
        FieldSet b = new FieldSet().insert(METADATA, LABELS, new PathElement.Field("y"))
                .insert(METADATA, new PathElement.Field("annotations"));
        assertThat(a.union(b).paths()).hasSize(3);
        assertThat(a.intersection(b).paths()).extracting(FieldSet::format).containsExactly(".metadata.labels.y");
        assertThat(a.difference(b).paths()).extracting(FieldSet::format).containsExactly(".metadata.labels.x");
        assertThat(a.difference(a).isEmpty()).isTrue();
        assertThat(a.union(new FieldSet())).isEqualTo(a);
    }

    @Test
    void appliedDeploymentFieldSet() {
        JsonNode deploy = j("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','namespace':'n',"
                + "'labels':{'app':'web'}},'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx','ports':[{'containerPort':80,'protocol':'TCP'}],'args':['a','b']}]}}}}");
        FieldSet set = ApplyFieldSets.of(deploy, ListTypes.builtin(BuiltinPatchSchema.instance(), "apps", "Deployment"));
        assertThat(set.toFieldsV1()).isEqualTo(j("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},"
                + "'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{'.':{},'f:args':{},"
                + "'f:image':{},'f:name':{},'f:ports':{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},"
                + "'f:containerPort':{},'f:protocol':{}}}}}}}}}"));
    }

    @Test
    void setsAndEmptyValues() {
        JsonNode cm = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']},"
                + "'data':{}}");
        FieldSet set = ApplyFieldSets.of(cm, ListTypes.builtin(BuiltinPatchSchema.instance(), "", "ConfigMap"));
        // an empty object sets nothing (upstream's ToFieldSet only records leaves and list items)
        assertThat(set.toFieldsV1()).isEqualTo(j("{'f:metadata':{'f:finalizers':{'v:\\'a\\'':{},"
                + "'v:\\'b\\'':{}}}}"));
    }
}
