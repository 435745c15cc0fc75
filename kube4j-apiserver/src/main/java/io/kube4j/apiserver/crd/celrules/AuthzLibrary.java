package io.kube4j.apiserver.crd.celrules;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import io.kube4j.api.validation.NameValidation;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.Attributes;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.Decision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' CEL authorizer library (upstream's {@code library/authz.go}), for admission expressions that have an
 * {@code authorizer} variable (webhook matchConditions, ValidatingAdmissionPolicy): {@code authorizer.path(p)},
 * {@code authorizer.group(g).resource(r)} with {@code subresource}, {@code namespace} and {@code name},
 * {@code authorizer.serviceAccount(ns, name)}, {@code check(verb)} giving a decision with {@code allowed()},
 * {@code reason()}, {@code errored()} and {@code error()}, and {@code authorizer.requestResource}, the request's own
 * resource ready to check. A check asks kube4j's authorizer for the user the expression runs for. Upstream's
 * {@code fieldSelector(s)} and {@code labelSelector(s)} (AuthorizeWithSelectors, on by default in 1.32) are accepted
 * and, as upstream's RBAC does with them, do not change the answer: kube4j's authorizers read no selectors.
 */
public final class AuthzLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    static final OpaqueType PATH_CHECK = OpaqueType.create("kubernetes.authorization.PathCheck");
    static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
    static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    /** The names {@link #variables} declares. */
    public static final String AUTHORIZER_VARIABLE = "authorizer";
    public static final String REQUEST_RESOURCE_VARIABLE = "authorizer.requestResource";

    /** The authorizer of one user. */
    public record AuthorizerValue(Authorizer authorizer, UserInfo user) {
    }

    record PathCheck(AuthorizerValue authorizer, String path) {
    }

    record GroupCheck(AuthorizerValue authorizer, String group) {
    }

    record ResourceCheck(AuthorizerValue authorizer, String group, String resource, String subresource,
                         String namespace, String name) {

        ResourceCheck with(String subresource, String namespace, String name) {
            return new ResourceCheck(authorizer, group, resource, subresource, namespace, name);
        }
    }

    /** A check's answer: allowed, the reason, and whether (and why) the authorizer could not evaluate it. */
    record DecisionValue(Decision decision) {
    }

    /** The variables an expression with an authorizer declares: {@code authorizer} and its requestResource. */
    public static Map<String, CelType> variables() {
        Map<String, CelType> variables = new LinkedHashMap<>();
        variables.put(AUTHORIZER_VARIABLE, AUTHORIZER);
        variables.put(REQUEST_RESOURCE_VARIABLE, RESOURCE_CHECK);
        return variables;
    }

    /**
     * The values of {@link #variables} for a request by {@code user} on group/resource/subresource, named
     * {@code name} in {@code namespace} ("" when cluster-scoped or unnamed).
     */
    public static Map<String, Object> values(Authorizer authorizer, UserInfo user, String group, String resource,
                                             String subresource, String namespace, String name) {
        AuthorizerValue value = new AuthorizerValue(authorizer, user == null ? UserInfo.ANONYMOUS : user);
        return Map.of(AUTHORIZER_VARIABLE, value, REQUEST_RESOURCE_VARIABLE,
                new ResourceCheck(value, group, resource, subresource, namespace, name));
    }

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                member("path", "authorizer_path", PATH_CHECK, AUTHORIZER, SimpleType.STRING),
                member("group", "authorizer_group", GROUP_CHECK, AUTHORIZER, SimpleType.STRING),
                member("serviceAccount", "authorizer_serviceaccount", AUTHORIZER, AUTHORIZER, SimpleType.STRING,
                        SimpleType.STRING),
                member("resource", "groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, SimpleType.STRING),
                member("subresource", "resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                member("namespace", "resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                member("name", "resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                member("fieldSelector", "authorizer_fieldselector", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                member("labelSelector", "authorizer_labelselector", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                CelFunctionDecl.newFunctionDeclaration("check",
                        CelOverloadDecl.newMemberOverload("pathcheck_check", DECISION, PATH_CHECK, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("resourcecheck_check", DECISION, RESOURCE_CHECK,
                                SimpleType.STRING)),
                member("errored", "decision_errored", SimpleType.BOOL, DECISION),
                member("error", "decision_error", SimpleType.STRING, DECISION),
                member("allowed", "decision_allowed", SimpleType.BOOL, DECISION),
                member("reason", "decision_reason", SimpleType.STRING, DECISION));
    }

    private static CelFunctionDecl member(String function, String overload, CelType result, CelType... args) {
        return CelFunctionDecl.newFunctionDeclaration(function,
                CelOverloadDecl.newMemberOverload(overload, result, List.of(args)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("authorizer_path", AuthorizerValue.class, String.class, AuthzLibrary::path),
                CelFunctionBinding.from("authorizer_group", AuthorizerValue.class, String.class, GroupCheck::new),
                CelFunctionBinding.from("authorizer_serviceaccount", List.of(AuthorizerValue.class, String.class,
                        String.class), args -> serviceAccount((AuthorizerValue) args[0], (String) args[1],
                        (String) args[2])),
                CelFunctionBinding.from("groupcheck_resource", GroupCheck.class, String.class, AuthzLibrary::resource),
                CelFunctionBinding.from("resourcecheck_subresource", ResourceCheck.class, String.class,
                        (check, s) -> check.with(s, check.namespace(), check.name())),
                CelFunctionBinding.from("resourcecheck_namespace", ResourceCheck.class, String.class,
                        (check, ns) -> check.with(check.subresource(), ns, check.name())),
                CelFunctionBinding.from("resourcecheck_name", ResourceCheck.class, String.class,
                        (check, n) -> check.with(check.subresource(), check.namespace(), n)),
                CelFunctionBinding.from("authorizer_fieldselector", ResourceCheck.class, String.class,
                        (check, selector) -> check),
                CelFunctionBinding.from("authorizer_labelselector", ResourceCheck.class, String.class,
                        (check, selector) -> check),
                CelFunctionBinding.from("pathcheck_check", PathCheck.class, String.class,
                        (check, verb) -> authorize(check.authorizer(), Attributes.nonResource(verb, check.path()))),
                CelFunctionBinding.from("resourcecheck_check", ResourceCheck.class, String.class,
                        (check, verb) -> authorize(check.authorizer(), Attributes.resource(verb, check.group(),
                                check.resource(), check.subresource(), check.namespace(), check.name()))),
                CelFunctionBinding.from("decision_errored", DecisionValue.class, d -> d.decision().errored()),
                CelFunctionBinding.from("decision_error", DecisionValue.class, d -> d.decision().error()),
                CelFunctionBinding.from("decision_allowed", DecisionValue.class, d -> d.decision().allowed()),
                CelFunctionBinding.from("decision_reason", DecisionValue.class, d -> d.decision().reason()));
    }

    private static PathCheck path(AuthorizerValue authorizer, String path) throws CelEvaluationException {
        if (path.isBlank()) {
            throw new CelEvaluationException("path must not be empty");
        }
        return new PathCheck(authorizer, path);
    }

    private static ResourceCheck resource(GroupCheck group, String resource) throws CelEvaluationException {
        if (resource.isBlank()) {
            throw new CelEvaluationException("resource must not be empty");
        }
        return new ResourceCheck(group.authorizer(), group.group(), resource, "", "", "");
    }

    /** Upstream's serviceaccount.ServiceAccountInfo.UserInfo(): the account's user name and its two groups. */
    private static AuthorizerValue serviceAccount(AuthorizerValue authorizer, String namespace, String name)
            throws CelEvaluationException {
        if (!NameValidation.isDns1123Subdomain(name).isEmpty()) {
            throw new CelEvaluationException("Invalid service account name");
        }
        if (!NameValidation.isDns1123Label(namespace).isEmpty()) {
            throw new CelEvaluationException("Invalid service account namespace");
        }
        UserInfo user = UserInfo.of(UserInfo.SERVICE_ACCOUNT_PREFIX + namespace + ":" + name,
                UserInfo.SERVICE_ACCOUNTS_GROUP, UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + namespace);
        return new AuthorizerValue(authorizer.authorizer(), user);
    }

    private static DecisionValue authorize(AuthorizerValue authorizer, Attributes attributes) {
        return new DecisionValue(authorizer.authorizer().authorize(authorizer.user(), attributes));
    }
}
