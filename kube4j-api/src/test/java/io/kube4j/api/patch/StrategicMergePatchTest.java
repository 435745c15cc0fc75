package io.kube4j.api.patch;

import static io.kube4j.api.patch.Json.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StrategicMergePatchTest {

    private static final PatchSchema SCHEMA = BuiltinPatchSchema.instance();

    private static JsonNode pod(String spec) {
        return j("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':" + spec + "}");
    }

    private static JsonNode apply(JsonNode target, String patch) {
        return StrategicMergePatch.apply(target, j(patch), SCHEMA);
    }

    @Test
    void containersMergeByName() {
        JsonNode out = apply(pod("{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}"),
                "{'spec':{'containers':[{'name':'b','image':'2'}]}}");
        assertThat(out.get("spec")).isEqualTo(j("{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}"));
    }

    @Test
    void newItemsOfAMergingListGoFirstWithoutSetElementOrder() {
        JsonNode out = apply(pod("{'containers':[{'name':'a'},{'name':'b'}]}"),
                "{'spec':{'containers':[{'name':'c','image':'x'}]}}");
        assertThat(out.at("/spec/containers")).isEqualTo(j("[{'name':'c','image':'x'},{'name':'a'},{'name':'b'}]"));
    }

    @Test
    void setElementOrderOrdersTheMergedList() {
        JsonNode out = apply(pod("{'containers':[{'name':'a'},{'name':'b'}]}"),
                "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'},{'name':'c'}],"
                        + "'containers':[{'name':'c','image':'x'}]}}");
        assertThat(out.at("/spec/containers")).isEqualTo(j("[{'name':'a'},{'name':'b'},{'name':'c','image':'x'}]"));

        JsonNode reordered = apply(pod("{'containers':[{'name':'a'},{'name':'b'}]}"),
                "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}");
        assertThat(reordered.at("/spec/containers")).isEqualTo(j("[{'name':'b'},{'name':'a'}]"));
    }

    @Test
    void setElementOrderMustMatchThePatchList() {
        assertThatThrownBy(() -> apply(pod("{'containers':[{'name':'a'},{'name':'b'}]}"),
                "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b','image':'x'}]}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("doesn't match $setElementOrder list");
    }

    @Test
    void nestedMergeListsInsideMergedItems() {
        JsonNode out = apply(pod("{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}],"
                        + "'ports':[{'containerPort':80,'protocol':'TCP'}],'args':['x','y']}]}"),
                "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'3'}],'ports':[{'containerPort':80,"
                        + "'name':'http'}],'args':['z']}]}}");
        assertThat(out.at("/spec/containers/0")).isEqualTo(j("{'name':'a','env':[{'name':'X','value':'1'},"
                + "{'name':'Y','value':'3'}],'ports':[{'containerPort':80,'protocol':'TCP','name':'http'}],'args':['z']}"));
    }

    @Test
    void deleteDirectiveInListRemovesTheItem() {
        JsonNode out = apply(pod("{'containers':[{'name':'a'},{'name':'b'}],'volumes':[{'name':'v','emptyDir':{}}]}"),
                "{'spec':{'containers':[{'name':'a','$patch':'delete'}],'volumes':[{'$patch':'delete','name':'v'}]}}");
        assertThat(out.get("spec")).isEqualTo(j("{'containers':[{'name':'b'}],'volumes':[]}"));
    }

    @Test
    void replaceDirectiveInListReplacesIt() {
        JsonNode out = apply(pod("{'containers':[{'name':'a','image':'1'},{'name':'b'}]}"),
                "{'spec':{'containers':[{'$patch':'replace'},{'name':'c'}]}}");
        assertThat(out.at("/spec/containers")).isEqualTo(j("[{'name':'c'}]"));
    }

    @Test
    void replaceAndDeleteDirectivesInMaps() {
        JsonNode target = j("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'},"
                + "'annotations':{'x':'y'}}}");
        JsonNode out = apply(target, "{'metadata':{'labels':{'$patch':'replace','c':'3'},"
                + "'annotations':{'$patch':'delete'}}}");
        assertThat(out.get("metadata")).isEqualTo(j("{'name':'p','labels':{'c':'3'},'annotations':{}}"));
        assertThatThrownBy(() -> apply(target, "{'metadata':{'labels':{'$patch':'frob'}}}"))
                .isInstanceOf(PatchException.class)
                .hasMessage("unknown patch type: frob in map: map[$patch:frob]");
    }

    @Test
    void mergeDirectiveInListIsRejected() {
        assertThatThrownBy(() -> apply(pod("{'containers':[{'name':'a'}]}"),
                "{'spec':{'containers':[{'$patch':'merge'}]}}"))
                .hasMessage("merging lists cannot yet be specified in the patch");
    }

    @Test
    void finalizersAreAPrimitiveSetAndCanBeDeletedFrom() {
        JsonNode target = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']}}");
        assertThat(apply(target, "{'metadata':{'finalizers':['c','a']}}").at("/metadata/finalizers"))
                .isEqualTo(j("['c','a','b']"));
        assertThat(apply(target, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}").at("/metadata/finalizers"))
                .isEqualTo(j("['b']"));
        assertThat(apply(target, "{'metadata':{'$setElementOrder/finalizers':['b','a','c'],'finalizers':['c']}}")
                .at("/metadata/finalizers")).isEqualTo(j("['b','a','c']"));
        JsonNode none = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}");
        assertThat(apply(none, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}").get("metadata"))
                .isEqualTo(j("{'name':'c'}"));
    }

    @Test
    void listsWithoutStrategyReplace() {
        JsonNode out = apply(pod("{'tolerations':[{'key':'a'}],'containers':[{'name':'c','args':['1','2']}]}"),
                "{'spec':{'tolerations':[{'key':'b'}]}}");
        assertThat(out.at("/spec/tolerations")).isEqualTo(j("[{'key':'b'}]"));
    }

    @Test
    void nullDeletesAndNullsInNewValuesAreDropped() {
        JsonNode out = apply(pod("{'nodeName':'n','restartPolicy':'Always'}"),
                "{'spec':{'nodeName':null,'nope':null,'securityContext':{'runAsUser':1,'fsGroup':null}}}");
        assertThat(out.get("spec")).isEqualTo(j("{'restartPolicy':'Always','securityContext':{'runAsUser':1}}"));
    }

    @Test
    void retainKeysClearsOtherFields() {
        JsonNode deploy = j("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'strategy':"
                + "{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
        JsonNode out = apply(deploy, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
        assertThat(out.at("/spec/strategy")).isEqualTo(j("{'type':'Recreate'}"));
        assertThatThrownBy(() -> apply(deploy, "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessage("invalid patch format of retainKeys");
    }

    @Test
    void volumesRetainKeysPerItem() {
        JsonNode out = apply(pod("{'volumes':[{'name':'v','emptyDir':{}}]}"),
                "{'spec':{'volumes':[{'name':'v','$retainKeys':['configMap','name'],'configMap':{'name':'cm'}}]}}");
        assertThat(out.at("/spec/volumes")).isEqualTo(j("[{'name':'v','configMap':{'name':'cm'}}]"));
    }

    @Test
    void podTemplatesInsideWorkloadsUseThePodSpecStrategies() {
        JsonNode deploy = j("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'template':"
                + "{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}}}");
        JsonNode out = apply(deploy, "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}");
        assertThat(out.at("/spec/template/spec/containers")).isEqualTo(j("[{'name':'a','image':'2'},{'name':'b'}]"));

        JsonNode cron = j("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'c'},'spec':{'jobTemplate':"
                + "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}}}");
        JsonNode cronOut = apply(cron, "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'b','image':'x'}]}}}}}}");
        assertThat(cronOut.at("/spec/jobTemplate/spec/template/spec/containers"))
                .isEqualTo(j("[{'name':'a'},{'name':'b','image':'x'}]"));
    }

    @Test
    void serviceAndNodeAndStatusLists() {
        JsonNode svc = j("{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':"
                + "[{'port':80,'targetPort':8080},{'port':443}]}}");
        assertThat(apply(svc, "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}").at("/spec/ports"))
                .isEqualTo(j("[{'port':80,'targetPort':9090},{'port':443}]"));

        JsonNode node = j("{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'status':{'conditions':"
                + "[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}],"
                + "'addresses':[{'type':'InternalIP','address':'10.0.0.1'}]}}");
        JsonNode out = apply(node, "{'status':{'conditions':[{'type':'Ready','status':'True'}],"
                + "'addresses':[{'type':'Hostname','address':'n'}]}}");
        assertThat(out.at("/status/conditions")).isEqualTo(j("[{'type':'Ready','status':'True'},"
                + "{'type':'MemoryPressure','status':'False'}]"));
        assertThat(out.at("/status/addresses")).isEqualTo(j("[{'type':'Hostname','address':'n'},"
                + "{'type':'InternalIP','address':'10.0.0.1'}]"));
    }

    @Test
    void ownerReferencesMergeByUid() {
        JsonNode cm = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','ownerReferences':"
                + "[{'uid':'1','name':'a'}]}}");
        assertThat(apply(cm, "{'metadata':{'ownerReferences':[{'uid':'2','name':'b'}]}}").at("/metadata/ownerReferences"))
                .isEqualTo(j("[{'uid':'2','name':'b'},{'uid':'1','name':'a'}]"));
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> apply(pod("{'containers':[{'name':'a'}]}"), "{'spec':{'containers':[{'image':'x'}]}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(422))
                .hasMessage("map: map[image:x] does not contain declared merge key: name");
        assertThatThrownBy(() -> apply(pod("{'containers':[]}"), "{'spec':{'containers':[['x']]}}"))
                .hasMessage("lists of lists are not supported");
        assertThatThrownBy(() -> apply(pod("{'containers':[{'name':'a'}]}"), "{'spec':{'containers':[['x']]}}"))
                .hasMessage("list element types are not identical: [[map[name:a]] [[x]]]");
        assertThatThrownBy(() -> apply(pod("{}"), "{'$deleteFromPrimitiveList':['x']}"))
                .hasMessage("invalid patch format of primitive list");
        assertThatThrownBy(() -> StrategicMergePatch.apply(pod("{}"), j("[]"), SCHEMA))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void customResourcesAreUnsupported() {
        JsonNode cr = j("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'}}");
        assertThat(SCHEMA.supports("example.com", "Widget")).isFalse();
        assertThat(SCHEMA.supports("apps", "Deployment")).isTrue();
        assertThat(SCHEMA.supports("", "Deployment")).isFalse();
        assertThatThrownBy(() -> apply(cr, "{'spec':{}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(415));
    }

    @Test
    void inputsAreNotModified() {
        JsonNode target = pod("{'containers':[{'name':'a','image':'1'}]}");
        JsonNode patch = j("{'spec':{'containers':[{'name':'a','image':'2'}]}}");
        StrategicMergePatch.apply(target, patch, SCHEMA);
        assertThat(target).isEqualTo(pod("{'containers':[{'name':'a','image':'1'}]}"));
        assertThat(patch).isEqualTo(j("{'spec':{'containers':[{'name':'a','image':'2'}]}}"));
    }

    @Test
    void twoWayPatchLikeKubectl() {
        JsonNode original = pod("{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}");
        JsonNode modified = pod("{'containers':[{'name':'a','image':'2'},{'name':'b','image':'1'}]}");
        assertThat(StrategicMergePatch.createTwoWay(original, modified, SCHEMA)).isEqualTo(j(
                "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                        + "'containers':[{'image':'2','name':'a'}]}}"));
        assertThat(StrategicMergePatch.createTwoWay(original, original, SCHEMA)).isEmpty();
    }

    @Test
    void twoWayPatchesRoundTrip() {
        String[][] pairs = {
                {"{'containers':[{'name':'a','image':'1'},{'name':'b'}],'nodeName':'n'}",
                        "{'containers':[{'name':'c'},{'name':'a','image':'2','env':[{'name':'X','value':'1'}]}]}"},
                {"{'volumes':[{'name':'v','emptyDir':{}}],'tolerations':[{'key':'a'}]}",
                        "{'volumes':[{'name':'v','configMap':{'name':'cm'}}],'tolerations':[]}"},
                {"{'containers':[{'name':'a','ports':[{'containerPort':80},{'containerPort':81}]}]}",
                        "{'containers':[{'name':'a','ports':[{'containerPort':81},{'containerPort':82}]}]}"},
                {"{'containers':[{'name':'a'},{'name':'b'}]}", "{'containers':[{'name':'b'},{'name':'a'}]}"},
        };
        for (String[] pair : pairs) {
            JsonNode original = pod(pair[0]);
            JsonNode modified = pod(pair[1]);
            JsonNode patch = StrategicMergePatch.createTwoWay(original, modified, SCHEMA);
            assertThat(StrategicMergePatch.apply(original, patch, SCHEMA)).as(patch.toString()).isEqualTo(modified);
        }
        JsonNode cmA = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']}}");
        JsonNode cmB = j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['c','a']},'data':{}}");
        JsonNode patch = StrategicMergePatch.createTwoWay(cmA, cmB, SCHEMA);
        assertThat(patch.at("/metadata/$deleteFromPrimitiveList~1finalizers")).isEqualTo(j("['b']"));
        assertThat(StrategicMergePatch.apply(cmA, patch, SCHEMA)).isEqualTo(cmB);

        JsonNode deployA = j("{'apiVersion':'apps/v1','kind':'Deployment','spec':{'strategy':{'type':'RollingUpdate',"
                + "'rollingUpdate':{'maxSurge':1}}}}");
        JsonNode deployB = j("{'apiVersion':'apps/v1','kind':'Deployment','spec':{'strategy':{'type':'Recreate'}}}");
        JsonNode dPatch = StrategicMergePatch.createTwoWay(deployA, deployB, SCHEMA);
        assertThat(dPatch).isEqualTo(j("{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,"
                + "'type':'Recreate'}}}"));
        assertThat(StrategicMergePatch.apply(deployA, dPatch, SCHEMA)).isEqualTo(deployB);
    }
}
