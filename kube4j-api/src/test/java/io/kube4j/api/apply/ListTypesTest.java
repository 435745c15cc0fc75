package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.fieldsOf;
import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.patch.BuiltinPatchSchema;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ListTypesTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private final FieldManager fm = new FieldManager();

    @Test
    void conditionListsAreTypedAsUpstreamDeclaresThem() {
        ListTypes csr = ListTypes.forObject(obj(
                "{'apiVersion':'certificates.k8s.io/v1','kind':'CertificateSigningRequest'}"));
        assertThat(csr.listType(List.of("status", "conditions"))).isEqualTo(ListTypes.ListType.map("type"));
        assertThat(csr.listType(List.of("spec", "usages")).kind()).isEqualTo(ListTypes.ListType.Kind.ATOMIC);
        ListTypes crd = ListTypes.forObject(obj(
                "{'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition'}"));
        assertThat(crd.listType(List.of("status", "conditions"))).isEqualTo(ListTypes.ListType.map("type"));
        // merge-tagged by type, yet +listType=atomic upstream
        ListTypes job = ListTypes.forObject(obj("{'apiVersion':'batch/v1','kind':'Job'}"));
        assertThat(job.listType(List.of("status", "conditions")).kind()).isEqualTo(ListTypes.ListType.Kind.ATOMIC);
        ListTypes deployment = ListTypes.forObject(obj("{'apiVersion':'apps/v1','kind':'Deployment'}"));
        assertThat(deployment.listType(List.of("status", "conditions"))).isEqualTo(ListTypes.ListType.map("type"));
    }

    @Test
    void builtinListTypesAndAtomicObjects() {
        ListTypes pod = ListTypes.forObject(obj("{'apiVersion':'v1','kind':'Pod'}"));
        assertThat(pod.listType(List.of("spec", "containers")).keys()).containsExactly("name");
        assertThat(pod.listType(List.of("spec", "containers", "ports")).keyDefaults())
                .containsEntry("protocol", node("'TCP'".replace('\'', '"')));
        assertThat(pod.listType(List.of("spec", "topologySpreadConstraints")).keys())
                .containsExactly("topologyKey", "whenUnsatisfiable");
        assertThat(pod.listType(List.of("spec", "containers", "args")).kind())
                .isEqualTo(ListTypes.ListType.Kind.ATOMIC);
        assertThat(pod.listType(List.of("metadata", "finalizers")).kind()).isEqualTo(ListTypes.ListType.Kind.SET);
        assertThat(pod.isAtomicObject(List.of("spec", "nodeSelector"))).isTrue();
        assertThat(pod.isAtomicObject(List.of("spec", "containers", "env", "valueFrom", "secretKeyRef"))).isTrue();
        assertThat(pod.isAtomicObject(List.of("spec", "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution"))).isTrue();
        assertThat(pod.isAtomicObject(List.of("spec", "affinity", "podAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution"))).isFalse();
        assertThat(pod.isAtomicObject(List.of("spec", "securityContext"))).isFalse();

        ListTypes svc = ListTypes.builtin(BuiltinPatchSchema.instance(), "", "Service");
        assertThat(svc.listType(List.of("spec", "ports")).keys()).containsExactly("port", "protocol");
        assertThat(svc.isAtomicObject(List.of("spec", "selector"))).isTrue();
        // kinds without a schema: lists atomic, objects granular, metadata as ObjectMeta
        ListTypes cr = ListTypes.forObject(obj("{'apiVersion':'x.io/v1','kind':'Widget'}"));
        assertThat(cr.listType(List.of("spec", "items")).kind()).isEqualTo(ListTypes.ListType.Kind.ATOMIC);
        assertThat(cr.listType(List.of("metadata", "ownerReferences")).keys()).containsExactly("uid");
    }

    @Test
    void ownerReferencesMergeByUidButEachReferenceIsAtomic() {
        ObjectNode cm = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','ownerReferences':"
                + "[{'apiVersion':'v1','kind':'Pod','name':'p','uid':'u1'}]}}");
        ObjectNode created = fm.apply(null, cm, "m", false, ListTypes.forObject(cm), T0).object();
        assertThat(fieldsOf(created, "m")).isEqualTo(node("{'f:metadata':{'f:ownerReferences':"
                + "{'k:{\\'uid\\':\\'u1\\'}':{}}}}"));
    }

    @Test
    void conflictsInsideListsNameTheItemByItsKey() {
        ListTypes types = ListTypes.builtin(BuiltinPatchSchema.instance(), "apps", "Deployment");
        ObjectNode a = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'template':"
                + "{'spec':{'containers':[{'name':'c','image':'i:1','ports':[{'containerPort':80}]}]}}}}");
        ObjectNode live = fm.apply(null, a, "a", false, types, T0).object();
        ObjectNode b = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'template':"
                + "{'spec':{'containers':[{'name':'c','image':'i:2'}]}}}}");
        ApplyResult r = fm.apply(live, b, "b", false, types, T0);
        assertThat(r.conflicts()).extracting(Conflict::field)
                .containsExactly(".spec.template.spec.containers[name=\"c\"].image");
    }

    @Test
    void mergedListsFollowTheConfigurationOrderForItsItems() {
        ListTypes types = ListTypes.forObject(obj("{'apiVersion':'v1','kind':'Pod'}"));
        ObjectNode live = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
                + "[{'name':'a'},{'name':'b'},{'name':'c'}]}}");
        ObjectNode config = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
                + "[{'name':'c'},{'name':'a'},{'name':'d'}]}}");
        ObjectNode merged = ConfigMerger.merge(live, config, types);
        assertThat(merged.at("/spec/containers")).isEqualTo(node("[{'name':'b'},{'name':'c'},{'name':'a'},"
                + "{'name':'d'}]"));
    }

    @Test
    void comparisonMarksObjectsAndItemsPresentOnOneSide() {
        ListTypes types = ListTypes.forObject(obj("{'apiVersion':'v1','kind':'Pod'}"));
        Comparison c = Comparison.of(obj("{'spec':{'containers':[{'name':'a','image':'x'}]}}"),
                obj("{'spec':{'containers':[{'name':'b','image':'x'}],'hostname':'h'},'metadata':{'labels':"
                        + "{'k':'v'}}}"), types);
        assertThat(c.added().toFieldsV1()).isEqualTo(node("{'f:metadata':{'.':{},'f:labels':{'.':{},'f:k':{}}},"
                + "'f:spec':{'f:containers':{'k:{\\'name\\':\\'b\\'}':{'.':{},'f:image':{},'f:name':{}}},"
                + "'f:hostname':{}}}"));
        assertThat(c.removed().toFieldsV1()).isEqualTo(node("{'f:spec':{'f:containers':{'k:{\\'name\\':\\'a\\'}':"
                + "{'.':{},'f:image':{},'f:name':{}}}}}"));
        assertThat(c.modified().isEmpty()).isTrue();
    }
}
