package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodValidationTest {
    private final Validator pods = Validators.forKind("", "Pod");

    private static ObjectNode pod(String spec) {
        return defaulted("", "Pod", "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'default'},'spec':" + spec + "}");
    }

    private List<String> create(String spec) {
        return messages(pods.validateCreate(pod(spec)));
    }

    @Test
    void minimalPodIsValid() {
        assertThat(create("{'containers':[{'name':'web','image':'nginx'}]}")).isEmpty();
    }

    @Test
    void containersAreRequired() {
        assertThat(create("{}")).containsExactly("spec.containers: Required value");
    }

    @Test
    void imageIsRequired() {
        assertThat(create("{'containers':[{'name':'web'}]}")).containsExactly("spec.containers[0].image: Required value");
    }

    @Test
    void containerNamesAreUniqueDnsLabels() {
        assertThat(create("{'containers':[{'name':'web','image':'a'},{'name':'web','image':'b'}]}"))
                .containsExactly("spec.containers[1].name: Duplicate value: \"web\"");
        assertThat(create("{'containers':[{'name':'Web','image':'a'}]}")).hasSize(1)
                .first().asString().startsWith("spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label");
        assertThat(create("{'containers':[{'image':'a'}]}")).containsExactly("spec.containers[0].name: Required value");
    }

    @Test
    void initContainerNamesMayNotClashWithContainers() {
        assertThat(create("{'containers':[{'name':'web','image':'a'}],'initContainers':[{'name':'web','image':'b'}]}"))
                .containsExactly("spec.initContainers[0].name: Duplicate value: \"web\"");
    }

    @Test
    void portsRangeProtocolAndUniqueNames() {
        assertThat(create("{'containers':[{'name':'web','image':'a','ports':[{'containerPort':70000},"
                + "{'containerPort':80,'protocol':'HTTP'},{'name':'http','containerPort':81},{'name':'http','containerPort':82}]}]}"))
                .containsExactly(
                        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                        "spec.containers[0].ports[3].name: Duplicate value: \"http\"");
        assertThat(create("{'containers':[{'name':'web','image':'a','ports':[{'protocol':'TCP'}]}]}"))
                .containsExactly("spec.containers[0].ports[0].containerPort: Required value");
    }

    @Test
    void hostPortsMayNotConflict() {
        assertThat(create("{'containers':[{'name':'a','image':'a','ports':[{'containerPort':80,'hostPort':8080}]},"
                + "{'name':'b','image':'b','ports':[{'containerPort':81,'hostPort':8080}]}]}"))
                .containsExactly("spec.containers[1].ports[0].hostPort: Duplicate value: \"/TCP/8080\"");
    }

    @Test
    void envNames() {
        assertThat(create("{'containers':[{'name':'a','image':'a','env':[{'name':'A=B'},{'value':'x'}]}]}")).containsExactly(
                "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[1].name: Required value",
                "spec.containers[0].env[1].name: Invalid value: \"\": environment variable name must be non-empty");
    }

    @Test
    void volumesNeedUniqueNamesAndExactlyOneSource() {
        assertThat(create("{'containers':[{'name':'a','image':'a'}],'volumes':[{'name':'v','emptyDir':{}},{'name':'v','emptyDir':{}},"
                + "{'name':'w','emptyDir':{},'hostPath':{'path':'/x'}}]}")).containsExactly(
                "spec.volumes[1].name: Duplicate value: \"v\"",
                "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type");
    }

    @Test
    void volumeSourceFieldsAreChecked() {
        assertThat(create("{'containers':[{'name':'a','image':'a'}],'volumes':[{'name':'s','secret':{}},{'name':'c','configMap':{'name':'x','defaultMode':4000}}]}"))
                .containsExactly("spec.volumes[0].secret.secretName: Required value",
                        "spec.volumes[1].configMap.defaultMode: Invalid value: 4000: must be a number between 0 and 0777 (octal), both inclusive");
    }

    @Test
    void volumeMountsMustReferToVolumes() {
        assertThat(create("{'containers':[{'name':'a','image':'a','volumeMounts':[{'name':'data','mountPath':'/d'},{'name':'v','mountPath':'/d'}]}],"
                + "'volumes':[{'name':'v'}]}")).containsExactly(
                "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
                "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique");
    }

    @Test
    void requestsMayNotExceedLimits() {
        assertThat(create("{'containers':[{'name':'a','image':'a','resources':{'limits':{'cpu':'500m','memory':'1Gi'},"
                + "'requests':{'cpu':'1','memory':'512Mi'}}}]}"))
                .containsExactly("spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m");
    }

    @Test
    void quantitiesInMessagesAreCanonical() {
        assertThat(create("{'containers':[{'name':'a','image':'a','resources':{'limits':{'memory':'0.5Gi'},"
                + "'requests':{'memory':'1024Mi'}}}]}"))
                .containsExactly("spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 512Mi");
    }

    @Test
    void quantitiesMustParseAndNotBeNegative() {
        assertThat(create("{'containers':[{'name':'a','image':'a','resources':{'requests':{'cpu':'-1','memory':'lots'}}}]}")).containsExactly(
                "spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": " + QuantitySyntax.FORMAT_ERROR);
        assertThat(create("{'containers':[{'name':'a','image':'a','resources':{'requests':{'gpu':'1'}}}]}"))
                .containsExactly("spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers");
    }

    @Test
    void restartAndDnsPolicyEnums() {
        assertThat(create("{'containers':[{'name':'a','image':'a'}],'restartPolicy':'Sometimes','dnsPolicy':'Google'}")).containsExactly(
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"");
    }

    @Test
    void imagePullPolicyEnum() {
        assertThat(create("{'containers':[{'name':'a','image':'a','imagePullPolicy':'Sometimes'}]}")).containsExactly(
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"");
    }

    @Test
    void probesNeedOneHandler() {
        assertThat(create("{'containers':[{'name':'a','image':'a','livenessProbe':{},'readinessProbe':{'httpGet':{'port':0}}}]}")).containsExactly(
                "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                "spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive");
    }

    @Test
    void tolerations() {
        assertThat(create("{'containers':[{'name':'a','image':'a'}],'tolerations':[{'operator':'Equal','value':'x'},{'key':'k','effect':'Sometimes'}]}"))
                .containsExactly(
                        "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                        "spec.tolerations[1].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
    }

    @Test
    void updateMayChangeImages() {
        ObjectNode old = pod("{'containers':[{'name':'web','image':'nginx:1'}]}");
        ObjectNode now = pod("{'containers':[{'name':'web','image':'nginx:2'}]}");
        assertThat(pods.validateUpdate(now, old)).isEmpty();
    }

    @Test
    void updateMayNotChangeOtherFields() {
        ObjectNode old = pod("{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80}]}]}");
        ObjectNode now = pod("{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':81}]}]}");
        List<FieldError> errs = pods.validateUpdate(now, old);
        assertThat(errs).hasSize(1);
        assertThat(errs.get(0).type()).isEqualTo(FieldError.Type.FORBIDDEN);
        assertThat(errs.get(0).message()).startsWith("spec: Forbidden: pod updates may not change fields other than "
                + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
                + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
                + "was previously negative)\n");
    }

    @Test
    void updateMayNotAddContainers() {
        ObjectNode old = pod("{'containers':[{'name':'web','image':'nginx'}]}");
        ObjectNode now = pod("{'containers':[{'name':'web','image':'nginx'},{'name':'side','image':'busybox'}]}");
        assertThat(messages(pods.validateUpdate(now, old))).containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
    }

    @Test
    void activeDeadlineMayOnlyShrink() {
        ObjectNode old = pod("{'containers':[{'name':'web','image':'nginx'}],'activeDeadlineSeconds':30}");
        ObjectNode longer = pod("{'containers':[{'name':'web','image':'nginx'}],'activeDeadlineSeconds':60}");
        ObjectNode shorter = pod("{'containers':[{'name':'web','image':'nginx'}],'activeDeadlineSeconds':10}");
        ObjectNode unset = pod("{'containers':[{'name':'web','image':'nginx'}]}");
        assertThat(messages(pods.validateUpdate(longer, old)))
                .containsExactly("spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value");
        assertThat(pods.validateUpdate(shorter, old)).isEmpty();
        assertThat(messages(pods.validateUpdate(unset, old)))
                .containsExactly("spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value");
    }

    @Test
    void tolerationsMayOnlyBeAdded() {
        ObjectNode old = pod("{'containers':[{'name':'web','image':'nginx'}],'tolerations':[{'key':'a','operator':'Exists'}]}");
        ObjectNode added = pod("{'containers':[{'name':'web','image':'nginx'}],'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}");
        ObjectNode removed = pod("{'containers':[{'name':'web','image':'nginx'}],'tolerations':[{'key':'b','operator':'Exists'}]}");
        assertThat(pods.validateUpdate(added, old)).isEmpty();
        assertThat(messages(pods.validateUpdate(removed, old)))
                .containsExactly("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    @Test
    void ephemeralContainersCannotBeSetOnCreate() {
        assertThat(create("{'containers':[{'name':'a','image':'a'}],'ephemeralContainers':[{'name':'d','image':'busybox'}]}"))
                .contains("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }
}
