package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.Attributes;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelValues;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook matchConditions: upstream's precedence (false, then errors, then match) and the authorizer library. */
class MatchConditionsTest {

    /** jane may list pods in "dev" and GET /healthz; nobody else may do anything. */
    private static final Authorizer AUTHORIZER = (UserInfo user, Attributes a) -> {
        boolean jane = user.name().equals("jane");
        boolean pods = a.resourceRequest() && a.verb().equals("list") && a.resource().equals("pods")
                && a.namespace().equals("dev");
        boolean healthz = !a.resourceRequest() && a.path().equals("/healthz") && a.verb().equals("get");
        boolean serviceAccount = user.name().equals("system:serviceaccount:dev:builder")
                && user.groups().contains("system:serviceaccounts:dev") && a.resource().equals("secrets");
        return jane && (pods || healthz) || serviceAccount ? Decision.allow("granted to " + user.name())
                : Decision.noOpinion("");
    };

    private static MatchConditions compile(String... expressions) {
        StringBuilder json = new StringBuilder("{\"matchConditions\":[");
        for (int i = 0; i < expressions.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"c").append(i).append("\",\"expression\":")
                    .append(Json.object().textNode(expressions[i])).append('}');
        }
        List<FieldError> errors = new ArrayList<>();
        MatchConditions compiled = MatchConditions.compile(Json.parse(json.append("]}").toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "webhooks[0].matchConditions", Set.of(), errors);
        assertThat(errors).isEmpty();
        return compiled;
    }

    private static MatchConditions.Result match(String user, MatchConditions conditions) {
        JsonNode object = Json.parse("{\"data\":{\"a\":\"b\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> variables = new HashMap<>();
        variables.put("object", CelValues.dyn(object));
        variables.put("oldObject", CelValues.dyn(null));
        variables.put("request", CelValues.dyn(Json.object().put("operation", "CREATE")));
        variables.putAll(AuthzLibrary.values(AUTHORIZER, UserInfo.of(user), "", "configmaps", "", "dev", "c"));
        return conditions.match(variables);
    }

    @Test
    void allTrueMatchesAndAnyFalseExcludes() {
        assertThat(match("jane", compile("object.data.a == 'b'", "request.operation == 'CREATE'")))
                .isInstanceOf(MatchConditions.Matches.class);
        assertThat(match("jane", compile("true", "object.data.a == 'x'")))
                .isEqualTo(new MatchConditions.Excluded("c1"));
        assertThat(match("jane", MatchConditions.NONE)).isInstanceOf(MatchConditions.Matches.class);
    }

    @Test
    void aFalseConditionWinsOverAnErrorBeforeOrAfterIt() {
        assertThat(match("jane", compile("object.data.missing == 'x'", "false")))
                .isEqualTo(new MatchConditions.Excluded("c1"));
        assertThat(match("jane", compile("false", "object.data.missing == 'x'")))
                .isEqualTo(new MatchConditions.Excluded("c0"));
    }

    @Test
    void errorsWithoutAFalseConditionFailWithUpstreamsAggregate() {
        assertThat(match("jane", compile("true", "object.data.missing == 'x'")))
                .isEqualTo(new MatchConditions.Failed("expression 'object.data.missing == 'x'' resulted in error: "
                        + "no such key: missing"));
        assertThat(match("jane", compile("object.data.x == 'x'", "object.data.y == 'y'")))
                .isEqualTo(new MatchConditions.Failed("[expression 'object.data.x == 'x'' resulted in error: no such "
                        + "key: x, expression 'object.data.y == 'y'' resulted in error: no such key: y]"));
    }

    @Test
    void theAuthorizerChecksForTheUserOfTheRequest() {
        MatchConditions pods = compile("authorizer.group('').resource('pods').namespace('dev').check('list').allowed()");
        assertThat(match("jane", pods)).isInstanceOf(MatchConditions.Matches.class);
        assertThat(match("bob", pods)).isInstanceOf(MatchConditions.Excluded.class);
        assertThat(match("jane", compile("authorizer.path('/healthz').check('get').allowed()",
                "authorizer.group('').resource('pods').namespace('dev').check('list').reason() == 'granted to jane'",
                "!authorizer.group('').resource('pods').check('list').errored()",
                "authorizer.group('').resource('pods').check('list').error() == ''",
                "!authorizer.requestResource.check('create').allowed()",
                "authorizer.group('').resource('pods').namespace('dev').fieldSelector('spec.nodeName=n1')"
                        + ".labelSelector('app=web').check('list').allowed()",
                "authorizer.serviceAccount('dev', 'builder').group('').resource('secrets').check('get').allowed()")))
                .isInstanceOf(MatchConditions.Matches.class);
        assertThat(match("jane", compile("authorizer.group('').resource(' ').check('get').allowed()")))
                .isEqualTo(new MatchConditions.Failed("expression 'authorizer.group('').resource(' ').check('get')"
                        + ".allowed()' resulted in error: resource must not be empty"));
    }

    @Test
    void aCheckTheAuthorizerCouldNotEvaluateHasErrored() {
        Authorizer failing = (user, a) -> Decision.failed("no binding", "webhook authorizer unreachable");
        Map<String, Object> variables = new HashMap<>();
        variables.put("object", CelValues.dyn(Json.object()));
        variables.put("oldObject", CelValues.dyn(null));
        variables.put("request", CelValues.dyn(Json.object().put("operation", "CREATE")));
        variables.putAll(AuthzLibrary.values(failing, UserInfo.of("jane"), "", "configmaps", "", "dev", "c"));
        assertThat(compile("authorizer.group('').resource('pods').check('list').errored()",
                "authorizer.group('').resource('pods').check('list').error() == 'webhook authorizer unreachable'",
                "authorizer.path('/healthz').check('get').reason() == 'no binding'",
                "!authorizer.requestResource.check('get').allowed()").match(variables))
                .isInstanceOf(MatchConditions.Matches.class);
    }

    @Test
    void compileErrorsAreReportedAtTheirFieldUnlessAlreadyStored() {
        JsonNode webhook = Json.parse(("{\"matchConditions\":[{\"name\":\"a\",\"expression\":\"1 + 1\"},"
                + "{\"name\":\"b\",\"expression\":\"params == null\"}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<FieldError> errors = new ArrayList<>();
        MatchConditions.compile(webhook, "webhooks[2].matchConditions", Set.of(), errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("webhooks[2].matchConditions[0].expression",
                "webhooks[2].matchConditions[1].expression");
        errors.clear();
        MatchConditions.compile(webhook, "webhooks[2].matchConditions", Set.of("1 + 1"), errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("webhooks[2].matchConditions[1].expression");
        errors.clear();
        // a missing expression is the structural validation's Required, not a compile error too
        MatchConditions.compile(Json.parse("{\"matchConditions\":[{\"name\":\"a\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "webhooks[0].matchConditions", Set.of(), errors);
        assertThat(errors).isEmpty();
    }
}
