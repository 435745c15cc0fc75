package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ResourceQuota validation as upstream's ValidateResourceQuota, ValidateResourceQuotaUpdate and
 * ValidateResourceQuotaStatusUpdate: refused with a 422 naming each field, through the API and kubectl.
 */
class ResourceQuotaValidationApiTest {
    private static final String QUOTAS = "/api/v1/namespaces/default/resourcequotas";
    private static final String MERGE = "application/merge-patch+json";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String quota(String name, String spec) {
        return ("{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':'" + name + "'},'spec':{" + spec + "}}")
                .replace('\'', '"');
    }

    private static HttpResponse<String> create(String name, String spec) {
        return server.send("POST", QUOTAS, "application/json", quota(name, spec));
    }

    private static HttpResponse<String> patch(String path, String patch) {
        return server.send("PATCH", QUOTAS + "/" + path, MERGE, patch.replace('\'', '"'));
    }

    /** The causes of a 422 Invalid Status, as "field: message". */
    private static List<String> invalidCauses(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode status = json(response);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        List<String> causes = new ArrayList<>();
        status.path("details").path("causes").forEach(c -> {
            assertThat(c.path("reason").asString()).startsWith("FieldValue");
            causes.add(c.path("field").asString() + ": " + c.path("message").asString());
        });
        return causes;
    }

    @Test
    void hardNamesMustBeQuotaResourcesWithNonNegativeQuantities() {
        HttpResponse<String> response = create("names", "'hard':{'foo':'1','storage':'1Gi','cpu':'-1',"
                + "'pods':'1500m','count/widgets.example.com':'0.5','requests.nvidia.com/gpu':'1',"
                + "'hugepages-2Mi':'1Gi','requests.hugepages-2Mi':'1Gi','count/deployments.apps':'2',"
                + "'fast.storageclass.storage.k8s.io/requests.storage':'10Gi','services.nodeports':'2'}");
        assertThat(invalidCauses(response)).containsExactlyInAnyOrder(
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource for quota",
                "spec.hard[storage]: Invalid value: \"storage\": must be a standard resource for quota",
                "spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.hard[pods]: Invalid value: 1500m: must be an integer",
                "spec.hard[count/widgets.example.com]: Invalid value: 500m: must be an integer");
        assertThat(server.get(QUOTAS + "/names").statusCode()).isEqualTo(404);

        List<String> badName = invalidCauses(create("bad-name", "'hard':{'Bad_Name!':'1'}"));
        assertThat(badName).hasSize(2);
        assertThat(badName.get(0)).startsWith("spec.hard[Bad_Name!]: Invalid value: \"Bad_Name!\": name part must "
                + "consist of alphanumeric characters");
        assertThat(badName.get(1)).isEqualTo("spec.hard[Bad_Name!]: Invalid value: \"Bad_Name!\": "
                + "must be a standard resource for quota");

        assertThat(create("good", "'hard':{'requests.nvidia.com/gpu':'1','count/deployments.apps':'2','pods':'3000m',"
                + "'limits.memory':'1.5Gi'}").statusCode()).isEqualTo(201);
    }

    @Test
    void scopesMustBeKnownSuitEveryLimitAndNotContradictEachOther() {
        assertThat(invalidCauses(create("conflict", "'hard':{'pods':'1','services':'1'},"
                + "'scopes':['Terminating','NotTerminating']"))).containsExactly(
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Terminating\", \"NotTerminating\"}: "
                        + "unsupported scope applied to resource",
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Terminating\", \"NotTerminating\"}: "
                        + "unsupported scope applied to resource",
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Terminating\", \"NotTerminating\"}: "
                        + "conflicting scopes");
        assertThat(invalidCauses(create("unknown", "'hard':{'pods':'1'},'scopes':['Forever']"))).containsExactly(
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"Forever\"}: unsupported scope");
        // BestEffort pods request nothing: only their count can be limited
        assertThat(invalidCauses(create("best-effort", "'hard':{'pods':'1','requests.cpu':'1'},"
                + "'scopes':['BestEffort']"))).containsExactly("spec.scopes: Invalid value: "
                + "[]core.ResourceQuotaScope{\"BestEffort\"}: unsupported scope applied to resource");
        // names outside the standard ones are not checked against scopes
        assertThat(create("scoped", "'hard':{'pods':'1','requests.cpu':'1','count/pods':'1'},"
                + "'scopes':['NotBestEffort','Terminating']").statusCode()).isEqualTo(201);
    }

    @Test
    void scopeSelectorOperatorsTakeTheValuesTheyNeed() {
        String path = "spec.scopeSelector.matchExpressions";
        assertThat(invalidCauses(create("in", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'PriorityClass','operator':'In'}]}"))).containsExactly(path + ".values: Required "
                + "value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector");
        assertThat(invalidCauses(create("exists", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'PriorityClass','operator':'Exists','values':['high']}]}"))).containsExactly(
                path + ".values: Invalid value: []string{\"high\"}: must be no value when `operator` is 'Exist' or "
                        + "'DoesNotExist' for scope selector");
        assertThat(invalidCauses(create("operator", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'PriorityClass','operator':'Gt','values':['1']}]}"))).containsExactly(
                path + ".operator: Invalid value: \"Gt\": not a valid selector operator");
        assertThat(invalidCauses(create("best-effort-in", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'BestEffort','operator':'In','values':['x']}]}"))).containsExactly(
                path + ".operator: Invalid value: \"In\": must be 'Exists' when scope is any of "
                        + "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                        + "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity");
        assertThat(invalidCauses(create("unknown-scope", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'Forever','operator':'Exists'}]}"))).containsExactly(
                path + ".scopeName: Invalid value: \"Forever\": unsupported scope");
        assertThat(invalidCauses(create("selector-conflict", "'hard':{'pods':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'BestEffort','operator':'Exists'},{'scopeName':'NotBestEffort','operator':'Exists'}]}")))
                .containsExactly(path + ": Invalid value: []core.ResourceQuotaScope(nil): conflicting scopes");
        assertThat(invalidCauses(create("selector-resource", "'hard':{'secrets':'1'},'scopeSelector':"
                + "{'matchExpressions':[{'scopeName':'Terminating','operator':'Exists'}]}"))).containsExactly(
                path + ": Invalid value: core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{"
                        + "core.ScopedResourceSelectorRequirement{ScopeName:\"Terminating\", Operator:\"Exists\", "
                        + "Values:[]string(nil)}}}: unsupported scope applied to resource");

        assertThat(create("by-class", "'hard':{'pods':'1','requests.cpu':'1'},'scopeSelector':{'matchExpressions':["
                + "{'scopeName':'PriorityClass','operator':'In','values':['high']}]}").statusCode()).isEqualTo(201);
    }

    @Test
    void scopesAreImmutableWhileLimitsAndTheSelectorMayChange() {
        assertThat(create("fixed", "'hard':{'pods':'1'},'scopes':['BestEffort','NotTerminating'],'scopeSelector':"
                + "{'matchExpressions':[{'scopeName':'PriorityClass','operator':'In','values':['high']}]}")
                .statusCode()).isEqualTo(201);

        assertThat(invalidCauses(patch("fixed", "{'spec':{'scopes':['NotBestEffort']}}"))).containsExactly(
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"NotBestEffort\"}: field is immutable");
        // the same set in another order is no change
        assertThat(patch("fixed", "{'spec':{'scopes':['NotTerminating','BestEffort'],'hard':{'pods':'2'},"
                + "'scopeSelector':{'matchExpressions':[{'scopeName':'PriorityClass','operator':'NotIn',"
                + "'values':['low']}]}}}").statusCode()).isEqualTo(200);
        assertThat(invalidCauses(patch("fixed", "{'spec':{'hard':{'pods':'-2'}}}"))).containsExactly(
                "spec.hard[pods]: Invalid value: \"-2\": must be greater than or equal to 0");
    }

    @Test
    void statusWritesCheckTheStatusNamesAndQuantities() {
        assertThat(create("counted", "'hard':{'pods':'2'}").statusCode()).isEqualTo(201);

        assertThat(invalidCauses(patch("counted/status", "{'status':{'hard':{'pods':'2'},"
                + "'used':{'pods':'-1','foo':'1'}}}"))).containsExactlyInAnyOrder(
                "status.used[pods]: Invalid value: \"-1\": must be greater than or equal to 0",
                "status.used[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "status.used[foo]: Invalid value: \"foo\": must be a standard resource for quota");
        assertThat(patch("counted/status", "{'status':{'hard':{'pods':'2'},'used':{'pods':'1'}}}").statusCode())
                .isEqualTo(200);
        // a write of the main resource keeps the stored status, so what it sends there is not looked at
        HttpResponse<String> main = patch("counted", "{'metadata':{'labels':{'a':'b'}},"
                + "'status':{'used':{'pods':'-1'}}}");
        assertThat(main.statusCode()).as(main.body()).isEqualTo(200);
        assertThat(json(main).path("status").path("used").path("pods").asString()).isEqualTo("1");
    }

    @Test
    void kubectlPrintsTheRefusal() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());
        Kubectl.Result refused = kubectl.runWithInput("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n"
                + "  name: kubectl-conflict\nspec:\n  hard:\n    pods: \"1\"\n  scopes: [BestEffort, NotBestEffort]\n",
                "create", "-f", "-");
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.err().trim()).isEqualTo("The ResourceQuota \"kubectl-conflict\" is invalid: spec.scopes: "
                + "Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes");
    }
}
