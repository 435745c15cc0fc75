package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.kube4j.apiserver.admission.Pods.create;
import static io.kube4j.apiserver.admission.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatingPluginsTest {

    final FakeLookup lookup = new FakeLookup();
    final List<ObjectNode> statusWrites = new ArrayList<>();
    int conflictsToSimulate;

    /** Stores the quota status when the resourceVersion still matches, as the registry's CAS does. */
    final QuotaStatusWriter writer = quota -> {
        if (conflictsToSimulate > 0) {
            conflictsToSimulate--;
            return Optional.empty();
        }
        String ns = Json.text(quota, "metadata", "namespace");
        String name = Json.text(quota, "metadata", "name");
        ObjectNode stored = lookup.get("resourcequotas", ns, name).orElseThrow();
        if (!String.valueOf(Json.text(stored, "metadata", "resourceVersion"))
                .equals(String.valueOf(Json.text(quota, "metadata", "resourceVersion")))) {
            return Optional.empty();
        }
        ObjectNode copy = quota.deepCopy();
        long rv = Long.parseLong(String.valueOf(Json.text(stored, "metadata", "resourceVersion")));
        Json.metadata(copy).put("resourceVersion", String.valueOf(rv + 1));
        lookup.put("resourcequotas", copy);
        statusWrites.add(copy);
        return Optional.of(copy);
    };

    /** A quota as its controller leaves it in an empty namespace: limits copied to status.hard, nothing used. */
    ObjectNode quota(String name, String... hard) {
        ObjectNode quota = uncounted(name, hard);
        ObjectNode status = quota.putObject("status");
        status.set("hard", quota.path("spec").path("hard").deepCopy());
        ObjectNode used = status.putObject("used");
        quota.path("spec").path("hard").propertyNames().forEach(resource -> used.put(resource, "0"));
        return lookup.put("resourcequotas", quota);
    }

    /** A quota as a create leaves it: no status until the quota controller has counted. */
    ObjectNode uncounted(String name, String... hard) {
        ObjectNode quota = FakeLookup.object("default", name, "q-" + name);
        Json.metadata(quota).put("resourceVersion", "1");
        ObjectNode spec = quota.putObject("spec").putObject("hard");
        for (int i = 0; i < hard.length; i += 2) {
            spec.put(hard[i], hard[i + 1]);
        }
        return lookup.put("resourcequotas", quota);
    }

    @Test
    void quotaRefusesTheCreateThatWouldExceedItWithUpstreamsMessage() {
        quota("q", "pods", "2");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(lookup, writer);
        for (String name : List.of("p1", "p2")) {
            admission.validate(create(pod("default", name)));
            lookup.put("pods", pod("default", name));
        }
        assertThat(Json.text(lookup.get("resourcequotas", "default", "q").orElseThrow(), "status", "used", "pods"))
                .isEqualTo("2");

        assertThatThrownBy(() -> admission.validate(create(pod("default", "p3"))))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, "
                        + "limited: pods=2")
                .extracting(e -> ((StatusException) e).code()).isEqualTo(403);
    }

    @Test
    void aQuotaWhoseUsageIsNotCountedYetRefusesWhatItLimitsAsUpstream() {
        ObjectNode compute = uncounted("compute", "requests.cpu", "1", "count/pods", "5", "configmaps", "3");
        // the controller has copied the limits but counted only some of them (as a status written by hand can)
        compute.putObject("status").putObject("used").put("count/pods", "0").put("configmaps", "0");
        ObjectNode hard = ((ObjectNode) compute.get("status")).putObject("hard");
        hard.put("requests.cpu", "1").put("count/pods", "5").put("configmaps", "3");
        lookup.put("resourcequotas", compute);
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(lookup, writer);

        // every limit the pod evaluator matches is named, sorted - not just the ones the pod uses
        assertThatThrownBy(() -> admission.validate(create(Pods.withResources(pod("default", "p"), "100m", null))))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"p\" is forbidden: status unknown for quota: compute, resources: "
                        + "count/pods,requests.cpu")
                .extracting(e -> ((StatusException) e).code()).isEqualTo(403);
        // a ConfigMap is charged only to "configmaps", which is counted
        admission.validate(new AdmissionRequest(Operation.CREATE, "", "configmaps", "", "default", "c",
                FakeLookup.object("default", "c", "u"), null, Pods.ADMIN, false));
        assertThat(statusWrites).hasSize(1);
        assertThat(Json.text(statusWrites.get(0), "status", "used", "configmaps")).isEqualTo("1");
    }

    @Test
    void theLimitsInForceAreTheOnesTheControllerCopiedToStatus() {
        // just created: no status, so it limits nothing yet and nothing is charged to it
        uncounted("fresh", "pods", "0");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(lookup, writer);
        admission.validate(create(pod("default", "p1")));
        assertThat(statusWrites).isEmpty();

        // spec lowered, status still holds the counted limit: the old limit applies until the controller syncs
        ObjectNode lowered = quota("lowered", "pods", "5");
        ((ObjectNode) lowered.get("spec")).putObject("hard").put("pods", "0");
        lookup.put("resourcequotas", lowered);
        admission.validate(create(pod("default", "p2")));
        assertThat(Json.text(statusWrites.get(0), "status", "used", "pods")).isEqualTo("1");
        assertThat(Json.text(statusWrites.get(0), "status", "hard", "pods")).isEqualTo("5");
    }

    @Test
    void quotaOnComputeRequiresEveryContainerToSpecifyIt() {
        quota("compute", "requests.cpu", "1", "limits.cpu", "2");
        assertThatThrownBy(() -> new ResourceQuotaAdmission(lookup, writer).validate(create(pod("default", "bare"))))
                .hasMessage("pods \"bare\" is forbidden: failed quota: compute: must specify limits.cpu for: app; "
                        + "requests.cpu for: app");
    }

    @Test
    void quotaRetriesAfterAConflictAndDryRunChargesNothing() {
        quota("q", "pods", "10");
        conflictsToSimulate = 2;
        new ResourceQuotaAdmission(lookup, writer).validate(create(pod("default", "p1")));
        assertThat(statusWrites).hasSize(1);

        ObjectNode pod = pod("default", "dry");
        new ResourceQuotaAdmission(lookup, writer).validate(new AdmissionRequest(Operation.CREATE, "", "pods", "",
                "default", "dry", pod, null, Pods.ADMIN, true));
        assertThat(statusWrites).hasSize(1);
    }

    @Test
    void aRetryAfterAConflictReadsTheLatestQuotaNotTheCachedOne() {
        ObjectNode stale = quota("q", "configmaps", "1").deepCopy();
        // someone charged the quota since the cache's copy: the store holds resourceVersion 2, used 0 -> the
        // cache still answers the list with version 1, so every charge built from it conflicts
        ObjectNode latest = stale.deepCopy();
        Json.metadata(latest).put("resourceVersion", "2");
        ((ObjectNode) latest.get("status")).putObject("used").put("configmaps", "0");
        lookup.put("resourcequotas", latest);
        ObjectLookup trailingCache = new ObjectLookup() {
            @Override
            public java.util.Optional<ObjectNode> get(String resource, String namespace, String name) {
                return lookup.get(resource, namespace, name);
            }

            @Override
            public List<ObjectNode> list(String resource, String namespace) {
                return resource.equals("resourcequotas") ? List.of(stale) : lookup.list(resource, namespace);
            }

            @Override
            public List<ObjectNode> listLatest(String resource, String namespace) {
                return lookup.list(resource, namespace);
            }
        };
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(trailingCache, writer);
        admission.validate(new AdmissionRequest(Operation.CREATE, "", "configmaps", "", "default", "c1",
                FakeLookup.object("default", "c1", "u1"), null, Pods.ADMIN, false));
        assertThat(statusWrites).hasSize(1);
        assertThat(Json.text(statusWrites.get(0), "status", "used", "configmaps")).isEqualTo("1");
        // and the next create is refused by the quota (403), not by conflicts (409)
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.CREATE, "", "configmaps", "",
                "default", "c2", FakeLookup.object("default", "c2", "u2"), null, Pods.ADMIN, false)))
                .extracting(e -> ((StatusException) e).code()).isEqualTo(403);
    }

    @Test
    void quotaCountsOtherKinds() {
        quota("objects", "configmaps", "1", "count/deployments.apps", "0", "services.nodeports", "1");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(lookup, writer);
        ObjectNode cm = FakeLookup.object("default", "c1", "u");
        admission.validate(new AdmissionRequest(Operation.CREATE, "", "configmaps", "", "default", "c1", cm, null,
                Pods.ADMIN, false));
        ObjectNode deployment = FakeLookup.object("default", "d", "u");
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.CREATE, "apps", "deployments", "",
                "default", "d", deployment, null, Pods.ADMIN, false)))
                .hasMessage("deployments.apps \"d\" is forbidden: exceeded quota: objects, requested: "
                        + "count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0");
        ObjectNode service = FakeLookup.object("default", "s", "u");
        service.putObject("spec").put("type", "NodePort").putArray("ports").add(Json.object().put("port", 80))
                .add(Json.object().put("port", 443));
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.CREATE, "", "services", "",
                "default", "s", service, null, Pods.ADMIN, false)))
                .hasMessageContaining("requested: services.nodeports=2");
    }

    final UserInfo n1 = UserInfo.of("system:node:n1", "system:nodes", "system:authenticated");

    @Test
    void nodeRestriction() {
        NodeRestrictionAdmission admission = new NodeRestrictionAdmission(lookup);
        ObjectNode regular = pod("default", "p");
        ((ObjectNode) regular.get("spec")).put("nodeName", "n1");
        assertThatThrownBy(() -> admission.validate(create(regular, n1))).hasMessage("pods \"p\" is forbidden: pod "
                + "does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods");

        ObjectNode mirror = pod("default", "m");
        Json.metadata(mirror).putObject("annotations").put("kubernetes.io/config.mirror", "x");
        ((ObjectNode) mirror.get("spec")).put("nodeName", "n2");
        assertThatThrownBy(() -> admission.validate(create(mirror, n1)))
                .hasMessage("pods \"m\" is forbidden: node \"n1\" can only create pods with spec.nodeName set to itself");
        ((ObjectNode) mirror.get("spec")).put("nodeName", "n1");
        admission.validate(create(mirror, n1));
        ((ObjectNode) mirror.get("spec")).putArray("volumes").addObject().put("name", "s").putObject("secret")
                .put("secretName", "x");
        assertThatThrownBy(() -> admission.validate(create(mirror, n1))).hasMessageContaining("reference secrets");

        ObjectNode otherNode = FakeLookup.object(null, "n2", "u");
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, "", "nodes", "status", "",
                "n2", otherNode, otherNode, n1, false)))
                .hasMessage("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        ObjectNode own = FakeLookup.object(null, "n1", "u");
        ObjectNode ownLabelled = own.deepCopy();
        Json.metadata(ownLabelled).putObject("labels").put("node-restriction.kubernetes.io/role", "db");
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, "", "nodes", "", "", "n1",
                ownLabelled, own, n1, false))).hasMessageContaining("is not allowed to modify the following labels");
        admission.validate(new AdmissionRequest(Operation.UPDATE, "", "nodes", "status", "", "n1", own, own, n1,
                false));

        ObjectNode elsewhere = pod("default", "e");
        ((ObjectNode) elsewhere.get("spec")).put("nodeName", "n2");
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, "", "pods", "status",
                "default", "e", elsewhere, elsewhere, n1, false)))
                .hasMessageContaining("can only update pod status for pods with spec.nodeName set to itself");
        admission.validate(create(pod("default", "by-admin")));
    }

    ObjectNode namespace(String name, String... labels) {
        ObjectNode ns = FakeLookup.object(null, name, "ns-" + name);
        ObjectNode labelNode = Json.metadata(ns).putObject("labels");
        for (int i = 0; i < labels.length; i += 2) {
            labelNode.put(labels[i], labels[i + 1]);
        }
        return lookup.put("namespaces", ns);
    }

    @Test
    void podSecurityRestrictedMessageIsUpstreams() {
        namespace("secure", "pod-security.kubernetes.io/enforce", "restricted");
        PodSecurityAdmission admission = new PodSecurityAdmission(lookup);
        assertThatThrownBy(() -> admission.validate(create(pod("secure", "web"))))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"web\" is forbidden: violates PodSecurity \"restricted:latest\": "
                        + "allowPrivilegeEscalation != false (container \"app\" must set "
                        + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "
                        + "\"app\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or "
                        + "container \"app\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or "
                        + "container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
                        + "\"Localhost\")");

        ObjectNode compliant = pod("secure", "ok");
        ((ObjectNode) compliant.get("spec")).putObject("securityContext").put("runAsNonRoot", true)
                .putObject("seccompProfile").put("type", "RuntimeDefault");
        ObjectNode context = Pods.container(compliant).putObject("securityContext");
        context.put("allowPrivilegeEscalation", false);
        context.putObject("capabilities").putArray("drop").add("ALL");
        admission.validate(create(compliant));
    }

    @Test
    void podSecurityBaselineAndWarn() {
        namespace("base", "pod-security.kubernetes.io/enforce", "baseline",
                "pod-security.kubernetes.io/warn", "restricted");
        PodSecurityAdmission admission = new PodSecurityAdmission(lookup);
        ObjectNode privileged = pod("base", "root");
        ((ObjectNode) privileged.get("spec")).put("hostNetwork", true);
        Pods.container(privileged).putObject("securityContext").put("privileged", true);
        assertThatThrownBy(() -> admission.validate(create(privileged)))
                .hasMessage("pods \"root\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces "
                        + "(hostNetwork=true), privileged (container \"app\" must not set "
                        + "securityContext.privileged=true)");

        AdmissionRequest plain = create(pod("base", "plain"));
        admission.validate(plain);
        assertThat(plain.warnings()).singleElement().asString()
                .startsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false");

        namespace("open");
        ObjectNode elsewhere = privileged.deepCopy();
        Json.metadata(elsewhere).put("namespace", "open");
        admission.validate(create(elsewhere));
    }

    @Test
    void standardChainRunsInOrder() {
        lookup.put("serviceaccounts", FakeLookup.object("default", "default", "sa"));
        quota("q", "pods", "1");
        AdmissionChain chain = StandardAdmission.chain(lookup, writer,
                (user, attributes) -> io.kube4j.apiserver.authz.Decision.noOpinion(""));
        assertThat(chain.mutatingNames()).containsExactly("LimitRanger", "ServiceAccount", "Priority",
                "DefaultTolerationSeconds", "DefaultStorageClass", "StorageObjectInUseProtection", "RuntimeClass",
                "MutatingAdmissionWebhook", "CertificateSigningRequest");
        assertThat(chain.validatingNames()).containsExactly("LimitRanger", "NodeRestriction", "PodSecurity",
                "RuntimeClass", "CertificateApproval", "CertificateSigning", "CertificateSubjectRestriction",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota");
        ObjectNode pod = pod("default", "web");
        chain.admit(create(pod));
        assertThat(pod.path("spec").path("tolerations").size()).isEqualTo(2);
        assertThat(pod.path("spec").path("priority").asLong()).isZero();
        lookup.put("pods", pod);
        assertThatThrownBy(() -> chain.admit(create(pod("default", "second")))).hasMessageContaining("exceeded quota");
    }
}
