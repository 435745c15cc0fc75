package io.kube4j.apiserver.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * node.k8s.io/v1 RuntimeClass (with its pod admission), the storage.k8s.io/v1 CSI kinds and v1 componentstatuses
 * over HTTP on a securely serving API server, as kubectl and client-go reach them.
 */
class NewResourceTypesApiTest {
    private static final String RUNTIME_CLASSES = "/apis/node.k8s.io/v1/runtimeclasses";
    private static final String STORAGE = "/apis/storage.k8s.io/v1/";
    private static final String PODS = "/api/v1/namespaces/default/pods";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        // no service account controller runs here: the pods' account is created by hand
        expect(201, post("/api/v1/namespaces/default/serviceaccounts",
                "{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'default'}}"));
        expect(201, post(RUNTIME_CLASSES, "{'apiVersion':'node.k8s.io/v1','kind':'RuntimeClass','metadata':"
                + "{'name':'kata'},'handler':'kata','overhead':{'podFixed':{'cpu':'250m','memory':'64Mi'}},"
                + "'scheduling':{'nodeSelector':{'runtime':'kata'},'tolerations':[{'key':'runtime','operator':'Exists',"
                + "'effect':'NoSchedule'}]}}"));
    }

    private static HttpResponse<String> post(String path, String json) {
        return server.send(admin, "POST", path, json.replace('\'', '"'));
    }

    private static ObjectNode expect(int code, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return SecureServer.json(response);
    }

    private static String pod(String name, String spec) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'},'spec':{"
                + "'automountServiceAccountToken':false,'containers':[{'name':'c','image':'busybox'}]" + spec + "}}";
    }

    @Test
    void runtimeClassesAreServedWithUpstreamsCodes() {
        ObjectNode kata = expect(200, server.get(admin, RUNTIME_CLASSES + "/kata"));
        assertThat(kata.path("handler").asString()).isEqualTo("kata");
        assertThat(expect(200, server.get(admin, RUNTIME_CLASSES)).path("items")).hasSize(1);
        ObjectNode missing = expect(404, server.get(admin, RUNTIME_CLASSES + "/nope"));
        assertThat(missing.path("reason").asString()).isEqualTo("NotFound");
        assertThat(missing.path("message").asString()).isEqualTo("runtimeclasses.node.k8s.io \"nope\" not found");
        ObjectNode invalid = expect(422, post(RUNTIME_CLASSES, "{'apiVersion':'node.k8s.io/v1','kind':'RuntimeClass',"
                + "'metadata':{'name':'bad'},'handler':'Not_A_Label'}"));
        assertThat(invalid.path("details").path("causes").get(0).path("field").asString()).isEqualTo("handler");
        // the handler is immutable
        ObjectNode changed = kata.deepCopy();
        changed.put("handler", "other");
        ObjectNode refused = expect(422, server.send(admin, "PUT", RUNTIME_CLASSES + "/kata", changed.toString()));
        assertThat(refused.path("message").asString()).contains("handler: Invalid value: \"other\": field is immutable");
    }

    @Test
    void aPodNamingAMissingRuntimeClassIsForbidden() {
        ObjectNode status = expect(403, post(PODS, pod("ghost", ",'runtimeClassName':'nope'")));
        assertThat(status.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(status.path("message").asString())
                .isEqualTo("pods \"ghost\" is forbidden: pod rejected: RuntimeClass \"nope\" not found");
        expect(404, server.get(admin, PODS + "/ghost"));
    }

    @Test
    void aPodGetsItsRuntimeClassOverheadAndScheduling() {
        ObjectNode created = expect(201, post(PODS, pod("sandboxed", ",'runtimeClassName':'kata',"
                + "'nodeSelector':{'disk':'ssd'}")));
        JsonNode spec = created.path("spec");
        assertThat(spec.path("overhead").toString()).isEqualTo("{\"cpu\":\"250m\",\"memory\":\"64Mi\"}");
        assertThat(spec.path("nodeSelector").toString()).isEqualTo("{\"disk\":\"ssd\",\"runtime\":\"kata\"}");
        assertThat(spec.path("tolerations").toString()).contains("{\"key\":\"runtime\",\"operator\":\"Exists\","
                + "\"effect\":\"NoSchedule\"}");
        ObjectNode conflict = expect(403, post(PODS, pod("elsewhere", ",'runtimeClassName':'kata',"
                + "'nodeSelector':{'runtime':'runc'}")));
        assertThat(conflict.path("message").asString()).isEqualTo("pods \"elsewhere\" is forbidden: conflict: "
                + "runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc");
        ObjectNode noClass = expect(403, post(PODS, pod("fat", ",'overhead':{'cpu':'1'}")));
        assertThat(noClass.path("message").asString()).endsWith("pod rejected: Pod Overhead set without "
                + "corresponding RuntimeClass defined Overhead");
    }

    @Test
    void csiObjectsAreDefaultedValidatedAndServed() {
        ObjectNode driver = expect(201, post(STORAGE + "csidrivers", "{'apiVersion':'storage.k8s.io/v1',"
                + "'kind':'CSIDriver','metadata':{'name':'hostpath.csi.k8s.io'},'spec':{}}"));
        assertThat(driver.path("spec").path("attachRequired").asBoolean()).isTrue();
        assertThat(driver.path("spec").path("volumeLifecycleModes").toString()).isEqualTo("[\"Persistent\"]");
        expect(201, post(STORAGE + "csinodes", "{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':"
                + "{'name':'node-1'},'spec':{'drivers':[{'name':'hostpath.csi.k8s.io','nodeID':'node-1'}]}}"));
        expect(422, post(STORAGE + "csinodes", "{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':"
                + "{'name':'node-2'},'spec':{'drivers':[{'name':'d','nodeID':''}]}}"));
        expect(201, post(STORAGE + "namespaces/default/csistoragecapacities", "{'apiVersion':'storage.k8s.io/v1',"
                + "'kind':'CSIStorageCapacity','metadata':{'name':'cap-1'},'storageClassName':'fast','capacity':'10Gi'}"));
        assertThat(expect(200, server.get(admin, STORAGE + "csistoragecapacities")).path("items")).hasSize(1);
        // CSIStorageCapacity is namespaced, CSINode is not
        expect(404, server.get(admin, STORAGE + "namespaces/default/csinodes/node-1"));
        expect(200, server.get(admin, STORAGE + "csinodes/node-1"));

        String va = STORAGE + "volumeattachments";
        ObjectNode attachment = expect(201, post(va, "{'apiVersion':'storage.k8s.io/v1','kind':'VolumeAttachment',"
                + "'metadata':{'name':'va-1'},'spec':{'attacher':'hostpath.csi.k8s.io','nodeName':'node-1',"
                + "'source':{'persistentVolumeName':'pv-1'}},'status':{'attached':true}}"));
        // status is the attacher's to write, through /status only
        assertThat(attachment.has("status")).isFalse();
        attachment.putObject("status").put("attached", true);
        ObjectNode attached = expect(200, server.send(admin, "PUT", va + "/va-1/status", attachment.toString()));
        assertThat(attached.path("status").path("attached").asBoolean()).isTrue();
        ((ObjectNode) attached.get("spec")).put("nodeName", "node-2");
        expect(422, server.send(admin, "PUT", va + "/va-1", attached.toString()));
    }

    @Test
    void strategicMergePatchesReachTheNewKinds() {
        String smp = "application/strategic-merge-patch+json";
        ObjectNode labelled = expect(200, server.send(admin, "PATCH", RUNTIME_CLASSES + "/kata",
                "{\"metadata\":{\"labels\":{\"tier\":\"sandbox\"}}}", "Content-Type", smp));
        assertThat(labelled.path("metadata").path("labels").path("tier").asString()).isEqualTo("sandbox");
        expect(201, post(STORAGE + "csinodes", "{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':"
                + "{'name':'node-9'},'spec':{'drivers':[{'name':'a.csi.example.com','nodeID':'n9'}]}}"));
        // a second driver registering itself merges by name, as upstream's patchMergeKey says
        ObjectNode merged = expect(200, server.send(admin, "PATCH", STORAGE + "csinodes/node-9",
                "{\"spec\":{\"drivers\":[{\"name\":\"b.csi.example.com\",\"nodeID\":\"n9\"}]}}",
                "Content-Type", smp));
        assertThat(merged.path("spec").path("drivers").findValuesAsString("name"))
                .containsExactlyInAnyOrder("a.csi.example.com", "b.csi.example.com");
    }

    @Test
    void componentStatusesAreComputedReadOnlyAndDeprecated() {
        HttpResponse<String> list = server.get(admin, "/api/v1/componentstatuses");
        assertThat(list.headers().firstValue("Warning")).contains("299 - \"v1 ComponentStatus is deprecated in v1.19+\"");
        ObjectNode statuses = expect(200, list);
        assertThat(statuses.path("kind").asString()).isEqualTo("ComponentStatusList");
        assertThat(statuses.path("items").findValuesAsString("name")).containsExactly("scheduler", "controller-manager",
                "etcd-0");
        // no scheduler ran here, so there is no Lease to tell by: Unknown, never a made-up True
        JsonNode scheduler = statuses.path("items").get(0).path("conditions").get(0);
        assertThat(scheduler.path("type").asString()).isEqualTo("Healthy");
        assertThat(scheduler.path("status").asString()).isEqualTo("Unknown");
        JsonNode etcd = expect(200, server.get(admin, "/api/v1/componentstatuses/etcd-0")).path("conditions").get(0);
        assertThat(etcd.path("status").asString()).isEqualTo("True");
        assertThat(etcd.path("message").asString()).isEqualTo("ok");

        // a scheduler renewing its Lease is healthy
        String renewed = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        expect(201, post("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", "{'apiVersion':"
                + "'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'kube-scheduler'},'spec':{'holderIdentity':"
                + "'sched-1','leaseDurationSeconds':3600,'renewTime':'" + renewed + "'}}"));
        assertThat(expect(200, server.get(admin, "/api/v1/componentstatuses/scheduler")).path("conditions").get(0)
                .path("status").asString()).isEqualTo("True");

        ObjectNode table = expect(200, server.get(admin, "/api/v1/componentstatuses",
                "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"));
        assertThat(table.path("columnDefinitions").findValuesAsString("name"))
                .containsExactly("Name", "Status", "Message", "Error");
        assertThat(table.path("rows").get(2).path("cells").toString()).isEqualTo("[\"etcd-0\",\"Healthy\",\"ok\",\"\"]");

        expect(404, server.get(admin, "/api/v1/componentstatuses/kube-dns"));
        expect(405, post("/api/v1/componentstatuses", "{'apiVersion':'v1','kind':'ComponentStatus','metadata':"
                + "{'name':'x'}}"));
        expect(405, server.send(admin, "DELETE", "/api/v1/componentstatuses/etcd-0", null));
    }
}
