package io.kube4j.apiserver.admission.cel;

import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.matching.RequestMatcher;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelValues;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;

/**
 * The CEL variables upstream gives every admission expression about the request (policies' and webhooks'
 * matchConditions alike): {@code object}, {@code oldObject}, {@code request} (the AdmissionRequest's attributes with
 * dryRun and an empty uid), {@code namespaceObject} null (a policy sets it) and the authorizer's {@code authorizer}
 * and {@code authorizer.requestResource}, checking for the request's user.
 */
public final class RequestVariables {

    private RequestVariables() {
    }

    public static Map<String, Object> of(RequestMatcher.Invocation invocation, AdmissionRequest request,
                                         Authorizer authorizer) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("object", CelValues.dyn(request.object()));
        inputs.put("oldObject", CelValues.dyn(request.oldObject()));
        ObjectNode attributes = invocation.attributes(request);
        attributes.put("dryRun", request.dryRun());
        // upstream's CEL request has no uid (the field is not omitted: an empty string)
        attributes.put("uid", "");
        inputs.put("request", CelValues.dyn(attributes));
        // declared for every admission expression; only policies give it a value (they replace this)
        inputs.put("namespaceObject", CelValues.dyn(null));
        inputs.putAll(AuthzLibrary.values(authorizer, request.user(), request.group(), request.resource(),
                request.subresource(), request.namespace(), request.name()));
        return inputs;
    }
}
