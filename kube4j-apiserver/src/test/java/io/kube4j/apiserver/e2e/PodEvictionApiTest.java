package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** pods/eviction over HTTP: a pod is deleted only as its PodDisruptionBudget allows, as upstream's EvictionREST. */
class PodEvictionApiTest {
    private static final String PODS = "/api/v1/namespaces/default/pods";
    private static final String PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static ObjectNode json(HttpResponse<String> response) {
        return (ObjectNode) Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return text.replace('\'', '"');
    }

    /** A pod labelled app={@code app} in {@code phase}, Ready or not; on {@code node} if not null. */
    private static void pod(String name, String app, String phase, boolean ready, String node) {
        HttpResponse<String> created = server.send("POST", PODS, "application/json", quoted("{'apiVersion':'v1',"
                + "'kind':'Pod','metadata':{'name':'" + name + "','labels':{'app':'" + app + "'}},'spec':{"
                + (node == null ? "" : "'nodeName':'" + node + "',")
                + "'containers':[{'name':'c','image':'busybox'}]}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ObjectNode pod = json(created);
        ObjectNode status = pod.putObject("status");
        status.put("phase", phase);
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "Ready");
        condition.put("status", ready ? "True" : "False");
        HttpResponse<String> updated = server.send("PUT", PODS + "/" + name + "/status", "application/json",
                pod.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    /** A budget selecting app={@code app} whose status (observed by its controller) is as given. */
    private static void budget(String name, String app, int allowed, int current, int desired, String policy) {
        HttpResponse<String> created = server.send("POST", PDBS, "application/json", quoted("{'apiVersion':"
                + "'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'" + name + "'},'spec':{"
                + (policy == null ? "" : "'unhealthyPodEvictionPolicy':'" + policy + "',")
                + "'minAvailable':1,'selector':{'matchLabels':{'app':'" + app + "'}}}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ObjectNode pdb = json(created);
        ObjectNode status = pdb.putObject("status");
        status.put("observedGeneration", pdb.path("metadata").path("generation").asLong());
        status.put("disruptionsAllowed", allowed);
        status.put("currentHealthy", current);
        status.put("desiredHealthy", desired);
        status.put("expectedPods", current);
        HttpResponse<String> updated = server.send("PUT", PDBS + "/" + name + "/status", "application/json",
                pdb.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private static HttpResponse<String> evict(String name, String query, String deleteOptions) {
        return server.send("POST", PODS + "/" + name + "/eviction" + query, "application/json", quoted(
                "{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'" + name + "','namespace':'default'}"
                        + (deleteOptions == null ? "" : ",'deleteOptions':" + deleteOptions) + "}"));
    }

    private static int podCode(String name) {
        return server.get(PODS + "/" + name).statusCode();
    }

    private static JsonNode budgetStatus(String name) {
        return json(server.get(PDBS + "/" + name)).path("status");
    }

    private static void assertBudgetViolation(HttpResponse<String> response, String cause) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        ObjectNode status = json(response);
        assertThat(status.path("reason").asString()).isEqualTo("TooManyRequests");
        assertThat(status.path("message").asString())
                .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
        JsonNode causes = status.path("details").path("causes");
        assertThat(causes).hasSize(1);
        assertThat(causes.get(0).path("reason").asString()).isEqualTo("DisruptionBudget");
        assertThat(causes.get(0).path("message").asString()).isEqualTo(cause);
    }

    @Test
    void aPodNoBudgetSelectsIsDeleted() {
        pod("free", "free", "Running", true, null);
        budget("other-budget", "other", 0, 1, 1, null);

        HttpResponse<String> response = evict("free", "", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).path("status").asString()).isEqualTo("Success");
        assertThat(podCode("free")).isEqualTo(404);
    }

    @Test
    void aBudgetWithNoDisruptionAllowedRefusesWithTooManyRequestsAndKeepsThePod() {
        pod("kept", "kept", "Running", true, null);
        budget("kept-budget", "kept", 0, 1, 1, null);

        HttpResponse<String> response = evict("kept", "", null);

        assertBudgetViolation(response, "The disruption budget kept-budget needs 1 healthy pods and has 1 currently");
        // no delay suggested when the budget is simply spent
        assertThat(json(response).path("details").has("retryAfterSeconds")).isFalse();
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(podCode("kept")).isEqualTo(200);
    }

    @Test
    void anAllowedEvictionSpendsTheBudgetRecordsThePodAndMarksItDisrupted() {
        // on a node: deletion only marks the pod, so what the eviction wrote on it can be read
        pod("spent", "spent", "Running", true, "node-1");
        budget("spent-budget", "spent", 1, 2, 1, null);

        HttpResponse<String> response = evict("spent", "", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        ObjectNode pod = json(server.get(PODS + "/spent"));
        assertThat(pod.path("metadata").has("deletionTimestamp")).isTrue();
        JsonNode target = null;
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (condition.path("type").asString().equals("DisruptionTarget")) {
                target = condition;
            }
        }
        assertThat(target).isNotNull();
        assertThat(target.path("status").asString()).isEqualTo("True");
        assertThat(target.path("reason").asString()).isEqualTo("EvictionByEvictionAPI");
        JsonNode status = budgetStatus("spent-budget");
        assertThat(status.path("disruptionsAllowed").asInt()).isZero();
        assertThat(status.path("disruptedPods").has("spent")).isTrue();
        assertThat(status.path("conditions").get(0).path("type").asString()).isEqualTo("DisruptionAllowed");
        assertThat(status.path("conditions").get(0).path("status").asString()).isEqualTo("False");
        assertThat(status.path("conditions").get(0).path("reason").asString()).isEqualTo("InsufficientPods");

        // the budget is spent now: the next pod it selects stays
        pod("spent-2", "spent", "Running", true, null);
        assertBudgetViolation(evict("spent-2", "", null),
                "The disruption budget spent-budget needs 1 healthy pods and has 2 currently");
        assertThat(podCode("spent-2")).isEqualTo(200);
    }

    @Test
    void aPodUnderTwoBudgetsIsNotEvicted() {
        pod("twice", "twice", "Running", true, null);
        budget("twice-a", "twice", 1, 2, 1, null);
        budget("twice-b", "twice", 1, 2, 1, null);

        HttpResponse<String> response = evict("twice", "", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        ObjectNode status = json(response);
        assertThat(status.path("status").asString()).isEqualTo("Failure");
        assertThat(status.path("message").asString()).isEqualTo(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        assertThat(status.has("reason")).isFalse();
        assertThat(podCode("twice")).isEqualTo(200);
        assertThat(budgetStatus("twice-a").path("disruptionsAllowed").asInt()).isEqualTo(1);
    }

    @Test
    void terminalAndPendingPodsAreDeletedDespiteTheBudget() {
        pod("done", "done", "Succeeded", false, null);
        pod("waiting", "done", "Pending", false, null);
        budget("done-budget", "done", 0, 1, 1, null);

        assertThat(evict("done", "", null).statusCode()).isEqualTo(201);
        assertThat(evict("waiting", "", null).statusCode()).isEqualTo(201);

        assertThat(podCode("done")).isEqualTo(404);
        assertThat(podCode("waiting")).isEqualTo(404);
        assertThat(budgetStatus("done-budget").has("disruptedPods")).isFalse();
    }

    @Test
    void unreadyPodsGoWithoutSpendingTheBudgetAsItsUnhealthyPodPolicySays() {
        // IfHealthyBudget (the default): the application has its healthy pods, so an unready one may go
        pod("unready-healthy", "unready-healthy", "Running", false, null);
        budget("unready-healthy", "unready-healthy", 0, 2, 2, null);
        assertThat(evict("unready-healthy", "", null).statusCode()).isEqualTo(201);
        assertThat(podCode("unready-healthy")).isEqualTo(404);

        // ... but not while it lacks healthy pods
        pod("unready-short", "unready-short", "Running", false, null);
        budget("unready-short", "unready-short", 0, 1, 2, "IfHealthyBudget");
        assertBudgetViolation(evict("unready-short", "", null),
                "The disruption budget unready-short needs 2 healthy pods and has 1 currently");
        assertThat(podCode("unready-short")).isEqualTo(200);

        // AlwaysAllow: an unready pod goes whatever the budget
        pod("unready-always", "unready-always", "Running", false, null);
        budget("unready-always", "unready-always", 0, 1, 2, "AlwaysAllow");
        assertThat(evict("unready-always", "", null).statusCode()).isEqualTo(201);
        assertThat(podCode("unready-always")).isEqualTo(404);
        assertThat(budgetStatus("unready-always").path("disruptionsAllowed").asInt()).isZero();
    }

    @Test
    void aDryRunDeletesNothingAndSpendsNothing() {
        pod("dry", "dry", "Running", true, null);
        budget("dry-budget", "dry", 1, 2, 1, null);

        assertThat(evict("dry", "?dryRun=All", null).statusCode()).isEqualTo(201);
        assertThat(evict("dry", "", "{'dryRun':['All']}").statusCode()).isEqualTo(201);

        assertThat(podCode("dry")).isEqualTo(200);
        JsonNode status = budgetStatus("dry-budget");
        assertThat(status.path("disruptionsAllowed").asInt()).isEqualTo(1);
        assertThat(status.has("disruptedPods")).isFalse();
    }

    @Test
    void aBudgetItsControllerHasNotSeenYetAsksTheClientToComeBackLater() {
        pod("fresh", "fresh", "Running", true, null);
        budget("fresh-budget", "fresh", 1, 2, 1, null);
        // a spec change the disruption controller has not observed: generation 2, observedGeneration 1
        ObjectNode pdb = json(server.get(PDBS + "/fresh-budget"));
        ((ObjectNode) pdb.path("spec")).put("minAvailable", 2);
        HttpResponse<String> changed = server.send("PUT", PDBS + "/fresh-budget", "application/json", pdb.toString());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        HttpResponse<String> response = evict("fresh", "", null);

        assertBudgetViolation(response, "The disruption budget fresh-budget is still being processed by the server.");
        assertThat(json(response).path("details").path("retryAfterSeconds").asInt()).isEqualTo(10);
        assertThat(response.headers().firstValue("Retry-After")).contains("10");
        assertThat(podCode("fresh")).isEqualTo(200);
    }

    @Test
    void theEvictionMustNameThePodAndItsPreconditionsHold() {
        pod("named", "named", "Running", true, null);

        HttpResponse<String> otherName = server.send("POST", PODS + "/named/eviction", "application/json",
                quoted("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'someone-else'}}"));
        assertThat(otherName.statusCode()).isEqualTo(400);
        assertThat(json(otherName).path("message").asString())
                .isEqualTo("name in URL does not match name in Eviction object");

        HttpResponse<String> staleUid = evict("named", "", "{'preconditions':{'uid':'not-the-uid'}}");
        assertThat(staleUid.statusCode()).as(staleUid.body()).isEqualTo(409);

        assertThat(podCode("named")).isEqualTo(200);
    }

    @Test
    void kubectlDrainWaitsForTheBudgetThenEvicts() {
        HttpResponse<String> node = server.send("POST", "/api/v1/nodes", "application/json",
                quoted("{'apiVersion':'v1','kind':'Node','metadata':{'name':'drain-node'}}"));
        assertThat(node.statusCode()).as(node.body()).isEqualTo(201);
        pod("drained", "drained", "Running", true, "drain-node");
        budget("drained-budget", "drained", 0, 1, 1, null);
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());

        // --force: the pod has no controller; the budget keeps it, so drain retries until its timeout
        Kubectl.Result refused = kubectl.run("drain", "drain-node", "--force", "--timeout=2s");
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.err()).contains("error when evicting pods/\"drained\" -n \"default\" (will retry after 5s): "
                + "Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(podCode("drained")).isEqualTo(200);

        // once the budget allows it, the pod is evicted (at once: no kubelet here to wait for)
        budgetAllows("drained-budget", 1);
        Kubectl.Result drained = kubectl.run("drain", "drain-node", "--force", "--grace-period=0", "--timeout=30s");
        assertThat(drained.exit()).as(drained.all()).isZero();
        assertThat(drained.all()).contains("pod/drained evicted", "node/drain-node drained");
        assertThat(podCode("drained")).isEqualTo(404);
        assertThat(budgetStatus("drained-budget").path("disruptionsAllowed").asInt()).isZero();
    }

    private static void budgetAllows(String name, int allowed) {
        ObjectNode pdb = json(server.get(PDBS + "/" + name));
        ((ObjectNode) pdb.path("status")).put("disruptionsAllowed", allowed);
        HttpResponse<String> updated = server.send("PUT", PDBS + "/" + name + "/status", "application/json",
                pdb.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }
}
