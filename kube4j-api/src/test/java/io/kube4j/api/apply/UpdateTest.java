package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.fieldsOf;
import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class UpdateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");

    private final FieldManager fm = new FieldManager();

    private static ObjectNode configMap(String rest) {
        return obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n','uid':'u'" + rest);
    }

    @Test
    void createGivesEveryFieldToTheCreator() {
        ObjectNode created = fm.update(null, configMap(",'labels':{'app':'x'}},'data':{'a':'1'}}"),
                "kubectl-create", "", T0);
        assertThat(created.at("/metadata/managedFields")).isEqualTo(node("[{'manager':'kubectl-create',"
                + "'operation':'Update','apiVersion':'v1','time':'2024-05-01T10:00:00Z','fieldsType':'FieldsV1',"
                + "'fieldsV1':{'f:data':{'.':{},'f:a':{}},'f:metadata':{'f:labels':{'.':{},'f:app':{}}}}}]"));
    }

    @Test
    void createOfAPodOwnsContainersByKeyButNotTheSpecItself() {
        ObjectNode pod = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
                + "[{'name':'c','image':'i','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}");
        ObjectNode created = fm.update(null, pod, "kubectl-run", "", T0);
        assertThat(fieldsOf(created, "kubectl-run")).isEqualTo(node("{'f:spec':{'f:containers':{"
                + "'k:{\\'name\\':\\'c\\'}':{'.':{},'f:image':{},'f:name':{},'f:ports':{'.':{},"
                + "'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{},"
                + "'f:protocol':{}}}}}}}"));
    }

    @Test
    void laterUpdatesAddToTheManagersSetAndMoveFieldsBetweenManagers() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1','b':'2'}}"), "creator", "", T0);
        ObjectNode next = v1.deepCopy();
        ((ObjectNode) next.get("data")).put("a", "changed").remove("b");
        ((ObjectNode) next.get("data")).put("c", "3");
        ObjectNode v2 = fm.update(v1, next, "editor", "", T1);
        // the creator keeps the map itself (upstream writes a member without children as {})
        assertThat(fieldsOf(v2, "creator")).isEqualTo(node("{'f:data':{}}"));
        assertThat(fieldsOf(v2, "editor")).isEqualTo(node("{'f:data':{'f:a':{},'f:c':{}}}"));
        assertThat(v2.at("/metadata/managedFields/0/manager").asString()).isEqualTo("creator");

        ObjectNode again = v2.deepCopy();
        ((ObjectNode) again.get("data")).put("d", "4");
        ObjectNode v3 = fm.update(v2, again, "editor", "", T1);
        assertThat(fieldsOf(v3, "editor")).isEqualTo(node("{'f:data':{'f:a':{},'f:c':{},'f:d':{}}}"));
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheTime() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "creator", "", T0);
        ObjectNode v2 = fm.update(v1, v1.deepCopy(), "creator", "", T1);
        assertThat(v2.at("/metadata/managedFields")).isEqualTo(v1.at("/metadata/managedFields"));
    }

    @Test
    void noManagerNameMeansUnknown() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "", "", T0);
        assertThat(v1.at("/metadata/managedFields/0/manager").asString()).isEqualTo("unknown");
    }

    @Test
    void subresourceUpdatesAreSeparateOwnersAndCannotRewriteManagedFields() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "m", "", T0);
        ObjectNode next = v1.deepCopy();
        ((ObjectNode) next.get("metadata")).set("managedFields", node("[]"));
        ((ObjectNode) next.get("data")).put("b", "2");
        ObjectNode v2 = fm.update(v1, next, "m", "status", T1);
        assertThat(v2.at("/metadata/managedFields")).hasSize(2);
        assertThat(v2.at("/metadata/managedFields/1/subresource").asString()).isEqualTo("status");
    }

    @Test
    void anEmptyListOrOneEmptyEntryClearsManagedFields() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "m", "", T0);
        for (String reset : List.of("[]", "[{}]")) {
            ObjectNode next = v1.deepCopy();
            ((ObjectNode) next.get("metadata")).set("managedFields", node(reset));
            ObjectNode v2 = fm.update(v1, next, "m", "", T1);
            assertThat(v2.path("metadata").has("managedFields")).as(reset).isFalse();
            // and an object without managedFields is not tracked by later updates
            ObjectNode later = v2.deepCopy();
            ((ObjectNode) later.get("data")).put("z", "1");
            assertThat(fm.update(v2, later, "m", "", T1).path("metadata").has("managedFields")).isFalse();
        }
    }

    @Test
    void invalidManagedFieldsFromTheClientAreReplacedByTheLiveOnes() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "m", "", T0);
        ObjectNode next = v1.deepCopy();
        ((ObjectNode) next.get("metadata")).set("managedFields", node("[{'manager':'x','operation':'Bogus',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{}}]"));
        ObjectNode v2 = fm.update(v1, next, "m", "", T1);
        assertThat(v2.at("/metadata/managedFields")).isEqualTo(v1.at("/metadata/managedFields"));
    }

    @Test
    void validManagedFieldsFromTheClientReplaceTheLiveOnes() {
        ObjectNode v1 = fm.update(null, configMap("},'data':{'a':'1'}}"), "m", "", T0);
        ObjectNode next = v1.deepCopy();
        ((ObjectNode) next.get("metadata")).set("managedFields", node("[{'manager':'other','operation':'Update',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:a':{}}}}]"));
        ObjectNode v2 = fm.update(v1, next, "m", "", T1);
        assertThat(v2.at("/metadata/managedFields")).isEqualTo(node("[{'manager':'other','operation':'Update',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:a':{}}}}]"));
    }

    @Test
    void moreThanTenUpdatersAreCappedIntoAncientChanges() {
        ObjectNode obj = fm.update(null, configMap("},'data':{'k0':'v'}}"), "m0", "", Instant.ofEpochSecond(1000));
        for (int i = 1; i <= 11; i++) {
            ObjectNode next = obj.deepCopy();
            ((ObjectNode) next.get("data")).put("k" + i, "v");
            obj = fm.update(obj, next, "m" + i, "", Instant.ofEpochSecond(1000 + i));
        }
        List<String> managers = new ArrayList<>();
        for (JsonNode e : obj.at("/metadata/managedFields")) {
            managers.add(e.path("manager").asString());
        }
        assertThat(managers).containsExactly("ancient-changes", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10",
                "m11");
        assertThat(fieldsOf(obj, "ancient-changes")).isEqualTo(node("{'f:data':{'.':{},'f:k0':{},'f:k1':{},"
                + "'f:k2':{}}}"));
        assertThat(obj.at("/metadata/managedFields/0/time").asString()).isEqualTo(
                ManagedFields.formatTime(Instant.ofEpochSecond(1002)));
    }

    @Test
    void keylessItemsDropManagedFieldsInsteadOfFailingTheRequest() {
        ObjectNode pod = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
                + "[{'image':'i'}]}}");
        ObjectNode out = fm.update(null, pod, "m", "", T0);
        assertThat(out.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void managerFromUserAgent() {
        assertThat(FieldManager.prefixFromUserAgent("kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd"))
                .isEqualTo("kubectl");
        assertThat(FieldManager.prefixFromUserAgent("curl")).isEqualTo("curl");
        assertThat(FieldManager.managerOrUserAgent("", "kubectl-edit/v1.32")).isEqualTo("kubectl-edit");
        assertThat(FieldManager.managerOrUserAgent("mine", "kubectl/v1.32")).isEqualTo("mine");
    }
}
