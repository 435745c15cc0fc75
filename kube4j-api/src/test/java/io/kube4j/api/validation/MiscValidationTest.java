package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class MiscValidationTest {

    private static List<String> create(String group, String kind, String text) {
        return messages(Validators.forKind(group, kind).validateCreate(defaulted(group, kind, text)));
    }

    @Test
    void configMapKeys() {
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'c','namespace':'d'},'data':{'good.key':'v','bad key':'v'}}"))
                .containsExactly("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, "
                        + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }

    @Test
    void ingressClassControllerIsADomainPrefixedPath() {
        assertThat(create("networking.k8s.io", "IngressClass", "{'metadata':{'name':'c'},'spec':{'controller':'k8s.io/ingress-nginx'}}"))
                .isEmpty();
        assertThat(create("networking.k8s.io", "IngressClass", "{'metadata':{'name':'c'},'spec':{'controller':'nginx'}}"))
                .containsExactly("spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")");
        assertThat(create("networking.k8s.io", "IngressClass", "{'metadata':{'name':'c'},'spec':{}}"))
                .containsExactly("spec.controller: Required value");
    }

    @Test
    void configMapSizeLimit() {
        ObjectNode cm = json("{'metadata':{'name':'c','namespace':'d'}}");
        cm.putObject("data").put("big", "x".repeat(1024 * 1024 + 1));
        assertThat(messages(Validators.forKind("", "ConfigMap").validateCreate(cm)))
                .containsExactly(": Too long: may not be more than 1048576 bytes");
    }

    @Test
    void immutableConfigMapKeepsItsData() {
        ObjectNode old = json("{'metadata':{'name':'c','namespace':'d'},'immutable':true,'data':{'a':'1'}}");
        ObjectNode now = json("{'metadata':{'name':'c','namespace':'d'},'immutable':true,'data':{'a':'2'}}");
        assertThat(messages(Validators.forKind("", "ConfigMap").validateUpdate(now, old)))
                .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    }

    @Test
    void tlsSecretNeedsItsKeys() {
        assertThat(create("", "Secret", "{'metadata':{'name':'s','namespace':'d'},'type':'kubernetes.io/tls','data':{'tls.crt':'eA=='}}"))
                .containsExactly("data[tls.key]: Required value");
    }

    @Test
    void secretTypeIsImmutable() {
        ObjectNode old = defaulted("", "Secret", "{'metadata':{'name':'s','namespace':'d'}}");
        ObjectNode now = defaulted("", "Secret", "{'metadata':{'name':'s','namespace':'d'},'type':'kubernetes.io/basic-auth','data':{'username':'eA=='}}");
        assertThat(messages(Validators.forKind("", "Secret").validateUpdate(now, old)))
                .containsExactly("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");
    }

    @Test
    void pvcNeedsAccessModesAndStorage() {
        assertThat(create("", "PersistentVolumeClaim", "{'metadata':{'name':'c','namespace':'d'},'spec':{}}")).containsExactly(
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value");
    }

    @Test
    void pvNeedsOneSource() {
        assertThat(create("", "PersistentVolume", "{'metadata':{'name':'v'},'spec':{'accessModes':['ReadWriteOnce'],'capacity':{'storage':'1Gi'}}}"))
                .containsExactly("spec: Required value: must specify a volume type");
        assertThat(create("", "PersistentVolume", "{'metadata':{'name':'v'},'spec':{'accessModes':['ReadWriteOnce'],'capacity':{'storage':'1Gi'},"
                + "'hostPath':{'path':'/d'}}}")).isEmpty();
    }

    @Test
    void leaseDurationMustBePositive() {
        assertThat(create("coordination.k8s.io", "Lease", "{'metadata':{'name':'l','namespace':'d'},'spec':{'leaseDurationSeconds':0}}"))
                .containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
    }

    @Test
    void endpointsMayNotBeSpecialAddresses() {
        assertThat(create("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'e','namespace':'d'},'addressType':'IPv4',"
                + "'endpoints':[{'addresses':['127.0.0.1','169.254.169.254','224.0.0.251','0.0.0.0','10.0.0.1']}]}"))
                .containsExactly(
                        "endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                        "endpoints[0].addresses[1]: Invalid value: \"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
                        "endpoints[0].addresses[2]: Invalid value: \"224.0.0.251\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
                        "endpoints[0].addresses[3]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)");
        assertThat(create("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'e','namespace':'d'},'addressType':'IPv6',"
                + "'endpoints':[{'addresses':['::1','fe80::1','ff02::fb','::ffff:127.0.0.2','2001:db8::1']}]}"))
                .containsExactly(
                        "endpoints[0].addresses[0]: Invalid value: \"::1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                        "endpoints[0].addresses[1]: Invalid value: \"fe80::1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
                        "endpoints[0].addresses[2]: Invalid value: \"ff02::fb\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
                        "endpoints[0].addresses[3]: Invalid value: \"::ffff:127.0.0.2\": may not be in the loopback range (127.0.0.0/8, ::1/128)");
        assertThat(create("", "Endpoints", "{'metadata':{'name':'e','namespace':'d'},'subsets':[{'addresses':[{'ip':'10.0.0.1'}],"
                + "'notReadyAddresses':[{'ip':'127.0.0.1'},{'ip':'x'}]}]}"))
                .containsExactly(
                        "subsets[0].notReadyAddresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                        "subsets[0].notReadyAddresses[1].ip: Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                        "subsets[0].notReadyAddresses[1].ip: Invalid value: \"x\": must be a valid IP address");
    }

    @Test
    void endpointSliceAddresses() {
        assertThat(create("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'e','namespace':'d'},'addressType':'IPv4',"
                + "'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['nope']}],'ports':[{'name':'http','port':80}]}"))
                .containsExactly("endpoints[1].addresses[0]: Invalid value: \"nope\": must be a valid IPv4 address");
        assertThat(create("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'e','namespace':'d'},'addressType':'IPv5'}"))
                .containsExactly("addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
    }

    @Test
    void ingressPaths() {
        assertThat(create("networking.k8s.io", "Ingress", "{'metadata':{'name':'i','namespace':'d'},'spec':{'rules':[{'host':'example.com',"
                + "'http':{'paths':[{'path':'api','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}},"
                + "{'path':'/','backend':{'service':{'name':'web'}}}]}}]}}")).containsExactly(
                "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path",
                "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified",
                "spec.rules[0].http.paths[1].backend: Required value: port name or number is required");
    }

    @Test
    void pdbMinAndMaxAreExclusive() {
        List<String> errs = create("policy", "PodDisruptionBudget", "{'metadata':{'name':'p','namespace':'d'},'spec':{'minAvailable':1,'maxUnavailable':'10%'}}");
        assertThat(errs).hasSize(1);
        assertThat(errs.get(0)).endsWith("minAvailable and maxUnavailable cannot be both set");
    }

    @Test
    void hpaReplicaBounds() {
        assertThat(create("autoscaling", "HorizontalPodAutoscaler", "{'apiVersion':'autoscaling/v2','metadata':{'name':'h','namespace':'d'},"
                + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':5,'maxReplicas':2}}"))
                .containsExactly("spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`");
    }

    @Test
    void rbacRulesAndBindings() {
        assertThat(create("rbac.authorization.k8s.io", "Role", "{'metadata':{'name':'r','namespace':'d'},'rules':[{'resources':['pods']}]}"))
                .containsExactly("rules[0].verbs: Required value: verbs must contain at least one value",
                        "rules[0].apiGroups: Required value: resource rules must supply at least one api group");
        assertThat(create("rbac.authorization.k8s.io", "ClusterRoleBinding", "{'metadata':{'name':'b'},'roleRef':{'kind':'Role','name':'r'},"
                + "'subjects':[{'kind':'ServiceAccount','name':'default'}]}")).containsExactly(
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value");
        assertThat(create("rbac.authorization.k8s.io", "ClusterRole", "{'metadata':{'name':'system:controller:x'},'rules':[]}")).isEmpty();
    }

    @Test
    void priorityClassLimits() {
        // upstream's ValidatePriorityClass: the system- prefix is checked instead of the value, not as well
        assertThat(create("scheduling.k8s.io", "PriorityClass", "{'metadata':{'name':'system-mine'},'value':2000000000}")).containsExactly(
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only."
                        + " error: system-mine is not a known system priority class");
        assertThat(create("scheduling.k8s.io", "PriorityClass", "{'metadata':{'name':'mine'},'value':1000000001}")).containsExactly(
                "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
        assertThat(create("scheduling.k8s.io", "PriorityClass", "{'metadata':{'name':'mine'},'value':1000000000}")).isEmpty();
    }

    @Test
    void systemPriorityClassesMustBeAsTheSystemDefinesThem() {
        assertThat(create("scheduling.k8s.io", "PriorityClass",
                "{'metadata':{'name':'system-node-critical'},'value':2000001000}")).isEmpty();
        assertThat(create("scheduling.k8s.io", "PriorityClass",
                "{'metadata':{'name':'system-cluster-critical'},'value':2000000000,'description':'mine'}")).isEmpty();
        assertThat(create("scheduling.k8s.io", "PriorityClass", "{'metadata':{'name':'system-node-critical'},'value':5}"))
                .containsExactly("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for"
                        + " system use only. error: value of system-node-critical PriorityClass must be 2000001000");
        assertThat(create("scheduling.k8s.io", "PriorityClass",
                "{'metadata':{'name':'system-cluster-critical'},'value':2000000000,'globalDefault':true}"))
                .containsExactly("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for"
                        + " system use only. error: globalDefault of system-cluster-critical PriorityClass must be false");
    }

    @Test
    void storageClassNeedsProvisioner() {
        assertThat(create("storage.k8s.io", "StorageClass", "{'metadata':{'name':'s'}}")).containsExactly("provisioner: Required value");
    }

    @Test
    void coreEventNamespaceMustMatch() {
        assertThat(messages(Validators.forKind("", "Event").validateCreate(json("{'metadata':{'name':'e.1','namespace':'a'},"
                + "'involvedObject':{'kind':'Pod','name':'p','namespace':'b'}}"))))
                .containsExactly("involvedObject.namespace: Invalid value: \"b\": does not match event.namespace");
    }

    @Test
    void customResourcesGetObjectMetaRulesOnly() {
        assertThat(messages(Validators.forCustomResource(true).validateCreate(json("{'metadata':{'name':'x'},'spec':{'anything':1}}"))))
                .containsExactly("metadata.namespace: Required value");
        assertThat(messages(Validators.forCustomResource(true).validateCreate(json(
                "{'metadata':{'name':'x','namespace':'d','finalizers':['custom']}}")))).isEmpty();
    }
}
