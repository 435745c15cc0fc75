package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.fieldsOf;
import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApplyTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");
    private static final Instant T2 = Instant.parse("2024-05-01T12:00:00Z");
    private static final ListTypes DEPLOYMENT = ListTypes.builtin(BuiltinPatchSchema.instance(), "apps", "Deployment");
    private static final ListTypes CONFIGMAP = ListTypes.builtin(BuiltinPatchSchema.instance(), "", "ConfigMap");

    private final FieldManager fm = new FieldManager();

    private static ObjectNode deployment(String spec) {
        return obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','namespace':'n'},'spec':"
                + spec + "}");
    }

    private ObjectNode apply(ObjectNode live, ObjectNode config, String manager, Instant now) {
        ApplyResult r = fm.apply(live, config, manager, false, DEPLOYMENT, now);
        assertThat(r.conflicts()).isEmpty();
        return r.object();
    }

    @Test
    void applyCreatesTheObjectWithAnApplyEntry() {
        ObjectNode config = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'app':'x'}},"
                + "'data':{'a':'1'}}");
        ApplyResult r = fm.apply(null, config, "kubectl", false, CONFIGMAP, T0);
        assertThat(r.hasConflicts()).isFalse();
        ObjectNode expected = config.deepCopy();
        ((ObjectNode) expected.get("metadata")).set("managedFields", node("[{'manager':'kubectl','operation':'Apply',"
                + "'apiVersion':'v1','time':'2024-05-01T10:00:00Z','fieldsType':'FieldsV1','fieldsV1':{'f:data':"
                + "{'f:a':{}},'f:metadata':{'f:labels':{'f:app':{}}}}}]"));
        assertThat(r.object()).isEqualTo(expected);
        assertThat(config.path("metadata").has("managedFields")).as("input untouched").isFalse();
    }

    @Test
    void applyingAgainWithoutAFieldRemovesIt() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2,'minReadySeconds':5,'template':{'spec':{'containers':"
                + "[{'name':'c','image':'i:1','args':['a']}]}}}"), "m", T0);
        ObjectNode v2 = apply(v1, deployment("{'replicas':3,'template':{'spec':{'containers':[{'name':'c',"
                + "'image':'i:2'}]}}}"), "m", T1);
        assertThat(v2.get("spec")).isEqualTo(node("{'replicas':3,'template':{'spec':{'containers':[{'name':'c',"
                + "'image':'i:2'}]}}}"));
        assertThat(fieldsOf(v2, "m")).isEqualTo(node("{'f:spec':{'f:replicas':{},'f:template':{'f:spec':"
                + "{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}"));
        assertThat(v2.at("/metadata/managedFields/0/time").asString()).isEqualTo("2024-05-01T11:00:00Z");
    }

    @Test
    void droppingEverythingUnderAFieldRemovesTheFieldButKeepsFieldsNobodyOwns() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2,'strategy':{'type':'Recreate'}}"), "m", T0);
        // a default filled in by the server after the apply: owned by nobody
        ((ObjectNode) v1.get("spec")).put("revisionHistoryLimit", 10);
        ObjectNode v2 = apply(v1, deployment("{'replicas':2}"), "m", T1);
        assertThat(v2.get("spec")).isEqualTo(node("{'replicas':2,'revisionHistoryLimit':10}"));
    }

    @Test
    void aFieldTwoManagersApplyWithTheSameValueIsSharedAndSurvivesOneOfThemDroppingIt() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2,'paused':false}"), "a", T0);
        ApplyResult r = fm.apply(v1, deployment("{'replicas':2}"), "b", false, DEPLOYMENT, T1);
        assertThat(r.conflicts()).isEmpty();
        assertThat(fieldsOf(r.object(), "a")).isEqualTo(node("{'f:spec':{'f:paused':{},'f:replicas':{}}}"));
        assertThat(fieldsOf(r.object(), "b")).isEqualTo(node("{'f:spec':{'f:replicas':{}}}"));
        ObjectNode v3 = apply(r.object(), deployment("{'paused':false}"), "a", T2);
        assertThat(v3.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(fieldsOf(v3, "a")).isEqualTo(node("{'f:spec':{'f:paused':{}}}"));
    }

    @Test
    void changingAnotherAppliersFieldConflictsUnlessForced() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2}"), "a", T0);
        ApplyResult r = fm.apply(v1, deployment("{'replicas':3}"), "b", false, DEPLOYMENT, T1);
        assertThat(r.object()).isNull();
        assertThat(r.conflicts()).containsExactly(new Conflict(".spec.replicas", "a", "\"a\""));
        assertThat(r.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas");
        StatusException status = r.toStatusException();
        assertThat(status.code()).isEqualTo(409);
        assertThat(status.details().causes()).containsExactly(
                new StatusCause("FieldManagerConflict", "conflict with \"a\"", ".spec.replicas"));

        ApplyResult forced = fm.apply(v1, deployment("{'replicas':3}"), "b", true, DEPLOYMENT, T1);
        assertThat(forced.conflicts()).isEmpty();
        assertThat(forced.object().at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(fieldsOf(forced.object(), "a")).isNull();
        assertThat(fieldsOf(forced.object(), "b")).isEqualTo(node("{'f:spec':{'f:replicas':{}}}"));
    }

    @Test
    void conflictWithAnUpdaterNamesItsVersionAndSeveralConflictsAreListed() {
        ObjectNode created = fm.update(null, deployment("{'replicas':2,'paused':true,'minReadySeconds':1}"),
                "kubectl-client-side-apply", "", DEPLOYMENT, null, T0);
        ApplyResult one = fm.apply(created, deployment("{'replicas':3}"), "kubectl", false, DEPLOYMENT, T1);
        assertThat(one.message()).isEqualTo("Apply failed with 1 conflict: conflict with "
                + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
        assertThat(one.conflicts().get(0).causeMessage())
                .isEqualTo("conflict with \"kubectl-client-side-apply\" using apps/v1");

        ApplyResult two = fm.apply(created, deployment("{'replicas':3,'paused':false}"), "m", false, DEPLOYMENT, T1);
        assertThat(two.message()).isEqualTo("Apply failed with 2 conflicts: conflicts with "
                + "\"kubectl-client-side-apply\" using apps/v1:\n- .spec.paused\n- .spec.replicas");
    }

    @Test
    void anUpdateTakesFieldsFromAnApplierWhichThenConflicts() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2,'paused':false}"), "a", T0);
        ObjectNode edited = v1.deepCopy();
        ((ObjectNode) edited.get("spec")).put("replicas", 5);
        ObjectNode v2 = fm.update(v1, edited, "kubectl-edit", "", DEPLOYMENT, null, T1);
        assertThat(fieldsOf(v2, "a")).isEqualTo(node("{'f:spec':{'f:paused':{}}}"));
        assertThat(fieldsOf(v2, "kubectl-edit")).isEqualTo(node("{'f:spec':{'f:replicas':{}}}"));
        assertThat(v2.at("/metadata/managedFields/1/operation").asString()).isEqualTo("Update");
        assertThat(v2.at("/metadata/managedFields/1/time").asString()).isEqualTo("2024-05-01T11:00:00Z");

        ApplyResult again = fm.apply(v2, deployment("{'replicas':2,'paused':false}"), "a", false, DEPLOYMENT, T2);
        assertThat(again.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using "
                + "apps/v1: .spec.replicas");
    }

    @Test
    void containersMergeByNameAndPortsByPortAndDefaultedProtocol() {
        ObjectNode v1 = apply(null, deployment("{'template':{'spec':{'containers':[{'name':'a','image':'a:1',"
                + "'ports':[{'containerPort':80}]}]}}}"), "ma", T0);
        assertThat(fieldsOf(v1, "ma").at("/f:spec/f:template/f:spec/f:containers")).isEqualTo(node(
                "{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:image':{},'f:name':{},'f:ports':{"
                        + "'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}}}}"));
        // the server defaults the protocol; a later apply without it still addresses the same port
        ((ObjectNode) v1.at("/spec/template/spec/containers/0/ports/0")).put("protocol", "TCP");
        ObjectNode v2 = apply(v1, deployment("{'template':{'spec':{'containers':[{'name':'b','image':'b:1'}]}}}"),
                "mb", T1);
        assertThat(v2.at("/spec/template/spec/containers")).isEqualTo(node("[{'name':'a','image':'a:1','ports':"
                + "[{'containerPort':80,'protocol':'TCP'}]},{'name':'b','image':'b:1'}]"));
        ObjectNode v3 = apply(v2, deployment("{'template':{'spec':{'containers':[{'name':'a','image':'a:2',"
                + "'ports':[{'containerPort':80},{'containerPort':80,'protocol':'UDP'}]}]}}}"), "ma", T2);
        assertThat(v3.at("/spec/template/spec/containers")).isEqualTo(node("[{'name':'a','image':'a:2','ports':"
                + "[{'containerPort':80,'protocol':'TCP'},{'containerPort':80,'protocol':'UDP'}]},"
                + "{'name':'b','image':'b:1'}]"));
        // ma drops its container: it goes, b's stays
        ObjectNode v4 = apply(v3, deployment("{'replicas':1}"), "ma", T2);
        assertThat(v4.at("/spec/template/spec/containers")).isEqualTo(node("[{'name':'b','image':'b:1'}]"));
    }

    @Test
    void duplicateOrKeylessItemsInAnAppliedConfigurationAreRefused() {
        assertThatThrownBy(() -> fm.apply(null, deployment("{'template':{'spec':{'containers':[{'name':'a'},"
                + "{'name':'a'}]}}}"), "m", false, DEPLOYMENT, T0))
                .isInstanceOf(StatusException.class)
                .hasMessage("Internal error occurred: failed to create typed patch object (apps/v1, "
                        + "Kind=Deployment): .spec.template.spec.containers: duplicate entries for key "
                        + "[name=\"a\"]");
        assertThatThrownBy(() -> fm.apply(null, deployment("{'template':{'spec':{'containers':[{'image':'a'}]}}}"),
                "m", false, DEPLOYMENT, T0))
                .hasMessageContaining("element 0: associative list with keys has an element that omits key field "
                        + "\"name\" (and doesn't have default value)");
    }

    @Test
    void finalizersAreASet() {
        ObjectNode a = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['x/a']}}");
        ObjectNode b = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['x/b']}}");
        ObjectNode v1 = fm.apply(null, a, "ma", false, CONFIGMAP, T0).object();
        ObjectNode v2 = fm.apply(v1, b, "mb", false, CONFIGMAP, T1).object();
        assertThat(v2.at("/metadata/finalizers")).isEqualTo(node("['x/a','x/b']"));
        assertThat(fieldsOf(v2, "mb")).isEqualTo(node("{'f:metadata':{'f:finalizers':{'v:\\'x/b\\'':{}}}}"));
        ObjectNode v3 = fm.apply(v2, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}"), "ma",
                false, CONFIGMAP, T2).object();
        assertThat(v3.at("/metadata/finalizers")).isEqualTo(node("['x/b']"));
    }

    @Test
    void atomicListsAndSelectorsAreReplacedWholeAndOwnedAsOneField() {
        ObjectNode v1 = apply(null, deployment("{'selector':{'matchLabels':{'app':'a','tier':'t'}},'template':"
                + "{'spec':{'containers':[{'name':'c','args':['x','y']}]}}}"), "a", T0);
        assertThat(fieldsOf(v1, "a")).isEqualTo(node("{'f:spec':{'f:selector':{},'f:template':{'f:spec':"
                + "{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:args':{},'f:name':{}}}}}}}"));
        ObjectNode v2 = apply(v1, deployment("{'selector':{'matchLabels':{'app':'a'}},'template':{'spec':"
                + "{'containers':[{'name':'c','args':['z']}]}}}"), "a", T1);
        assertThat(v2.at("/spec/selector")).isEqualTo(node("{'matchLabels':{'app':'a'}}"));
        assertThat(v2.at("/spec/template/spec/containers/0/args")).isEqualTo(node("['z']"));

        ApplyResult other = fm.apply(v2, deployment("{'selector':{'matchLabels':{'app':'b'}}}"), "b", false,
                DEPLOYMENT, T2);
        assertThat(other.conflicts()).extracting(Conflict::field).containsExactly(".spec.selector");
    }

    @Test
    void applyingToAnObjectNobodyTrackedGivesItsFieldsToBeforeFirstApply() {
        ObjectNode live = deployment("{'replicas':1,'paused':true}");
        ((ObjectNode) live.get("metadata")).put("uid", "u1");
        ApplyResult r = fm.apply(live, deployment("{'replicas':4}"), "m", false, DEPLOYMENT, T1);
        assertThat(r.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"before-first-apply\" "
                + "using apps/v1: .spec.replicas");
        ObjectNode ok = fm.apply(live, deployment("{'minReadySeconds':4}"), "m", false, DEPLOYMENT, T1).object();
        assertThat(fieldsOf(ok, "before-first-apply")).isEqualTo(node("{'f:spec':{'f:paused':{},'f:replicas':{}}}"));
    }

    @Test
    void kubectlMovingFromClientSideApplyTakesOverWhatItAppliedBefore() {
        String lastApplied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},"
                + "\"name\":\"d\",\"namespace\":\"n\"},\"spec\":{\"replicas\":2}}\n";
        ObjectNode csa = deployment("{'replicas':2,'paused':true}");
        ((ObjectNode) csa.get("metadata")).putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
        ObjectNode live = fm.update(null, csa, "kubectl-client-side-apply", "", DEPLOYMENT, null, T0);

        ApplyResult r = fm.apply(live, deployment("{'replicas':3}"), "kubectl", false, DEPLOYMENT, T1);
        assertThat(r.conflicts()).isEmpty();
        assertThat(r.object().at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(fieldsOf(r.object(), "kubectl")).isEqualTo(node("{'f:spec':{'f:replicas':{}}}"));
        assertThat(r.object().at("/metadata/annotations").get("kubectl.kubernetes.io/last-applied-configuration")
                .asString()).isEqualTo("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
                + "\"d\",\"namespace\":\"n\"},\"spec\":{\"replicas\":3}}\n");

        // paused was not client-side applied: still a conflict
        ApplyResult paused = fm.apply(live, deployment("{'paused':false}"), "kubectl", false, DEPLOYMENT, T1);
        assertThat(paused.conflicts()).extracting(Conflict::field).containsExactly(".spec.paused");
        // other managers get no such pass
        assertThat(fm.apply(live, deployment("{'replicas':3}"), "other", false, DEPLOYMENT, T1).hasConflicts())
                .isTrue();
    }

    @Test
    void anApplyThatChangesNothingKeepsTheObjectAndTheTime() {
        ObjectNode v1 = apply(null, deployment("{'replicas':2}"), "m", T0);
        ObjectNode v2 = apply(v1, deployment("{'replicas':2}"), "m", T1);
        assertThat(v2).isEqualTo(v1);
    }

    @Test
    void managedFieldsInAnAppliedConfigurationAreRefused() {
        ObjectNode config = deployment("{}");
        ((ObjectNode) config.get("metadata")).set("managedFields", node("[]"));
        assertThatThrownBy(() -> fm.apply(null, config, "m", false, DEPLOYMENT, T0))
                .isInstanceOf(StatusException.class).hasMessage("metadata.managedFields must be nil");
    }

    @Test
    void applyTypeCheck() {
        FieldManager.checkApplyType(deployment("{}"), "apps/v1", "Deployment");
        assertThatThrownBy(() -> FieldManager.checkApplyType(obj("{'apiVersion':'v1','kind':'Pod'}"), "apps/v1",
                "Deployment")).hasMessage("invalid object type: /v1, Kind=Pod");
    }

    @Test
    void statusResetFieldsAreNotOwnedThroughTheMainResource() {
        FieldSet status = new FieldSet().insert(new PathElement.Field("status"));
        ObjectNode config = deployment("{'replicas':1}");
        config.putObject("status").put("replicas", 1);
        ObjectNode v1 = fm.apply(null, config, "m", "", false, DEPLOYMENT, status, T0).object();
        assertThat(fieldsOf(v1, "m")).isEqualTo(node("{'f:spec':{'f:replicas':{}}}"));
    }

    @Test
    void customResourceTypesComeFromTheirOpenApiSchema() {
        JsonNode schema = node("{'type':'object','properties':{'spec':{'type':'object','properties':{"
                + "'items':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],"
                + "'items':{'type':'object','properties':{'name':{'type':'string'},'v':{'type':'string'}}}},"
                + "'tags':{'type':'array','items':{'type':'string'}},"
                + "'ref':{'type':'object','x-kubernetes-map-type':'atomic'}}}}}");
        ListTypes types = ListTypes.fromOpenApi(schema);
        ObjectNode cr = obj("{'apiVersion':'x.io/v1','kind':'W','metadata':{'name':'w'},'spec':{'items':"
                + "[{'name':'a','v':'1'}],'tags':['t'],'ref':{'name':'r'}}}");
        assertThat(ApplyFieldSets.of(cr, types).toFieldsV1()).isEqualTo(node("{'f:spec':{'f:items':"
                + "{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{},'f:v':{}}},'f:ref':{},'f:tags':{}}}"));
    }
}
