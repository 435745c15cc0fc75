package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's validateEphemeralContainers and ValidatePodEphemeralContainersUpdate, with their messages. */
class EphemeralContainersValidationTest {
    private static final String SUBRESOURCE = "ephemeralcontainers";
    private final Validator pods = Validators.forKind("", "Pod");

    private static ObjectNode pod(String ephemeral) {
        return pod("{}", ephemeral);
    }

    private static ObjectNode pod(String metadata, String ephemeral) {
        return defaulted("", "Pod", "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'default','uid':'u1',"
                + "'annotations':" + metadata + "},'spec':{'containers':[{'name':'main','image':'busybox'}],"
                + "'initContainers':[{'name':'init','image':'busybox'}],'ephemeralContainers':" + ephemeral + "}}");
    }

    private List<String> add(String ephemeral) {
        return messages(pods.validateUpdate(pod(ephemeral), pod("[]"), SUBRESOURCE));
    }

    @Test
    void aDebugContainerMayBeAdded() {
        assertThat(add("[{'name':'debugger','image':'busybox','targetContainerName':'main','stdin':true,'tty':true,"
                + "'command':['sh'],'env':[{'name':'A','value':'b'}],'securityContext':{'privileged':false}}]")).isEmpty();
        assertThat(add("[{'name':'debugger','image':'busybox','targetContainerName':'init'}]")).isEmpty();
    }

    @Test
    void namesAreUniqueAcrossEveryKindOfContainer() {
        assertThat(add("[{'name':'main','image':'busybox'}]"))
                .containsExactly("spec.ephemeralContainers[0].name: Duplicate value: \"main\"");
        assertThat(add("[{'name':'init','image':'busybox'}]"))
                .containsExactly("spec.ephemeralContainers[0].name: Duplicate value: \"init\"");
        assertThat(add("[{'name':'d','image':'busybox'},{'name':'d','image':'busybox'}]"))
                .containsExactly("spec.ephemeralContainers[1].name: Duplicate value: \"d\"");
    }

    @Test
    void theCommonContainerRulesApply() {
        assertThat(add("[{'name':'Debug','image':'busybox'}]")).hasSize(1).first().asString()
                .startsWith("spec.ephemeralContainers[0].name: Invalid value: \"Debug\": a lowercase RFC 1123 label");
        assertThat(add("[{'name':'d'}]")).containsExactly("spec.ephemeralContainers[0].image: Required value");
        assertThat(add("[{'name':'d','image':'busybox','imagePullPolicy':'Sometimes'}]")).containsExactly(
                "spec.ephemeralContainers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: "
                + "\"Always\", \"IfNotPresent\", \"Never\"");
    }

    @Test
    void theTargetMustBeARegularOrInitContainer() {
        assertThat(add("[{'name':'d','image':'busybox','targetContainerName':'nope'}]"))
                .containsExactly("spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"");
        assertThat(add("[{'name':'d1','image':'busybox'},{'name':'d2','image':'busybox','targetContainerName':'d1'}]"))
                .containsExactly("spec.ephemeralContainers[1].targetContainerName: Not found: \"d1\"");
    }

    @Test
    void portsResourcesProbesAndLifecycleAreForbidden() {
        assertThat(add("[{'name':'d','image':'busybox','ports':[{'containerPort':80}],"
                + "'resources':{'limits':{'cpu':'1'}},'livenessProbe':{'exec':{'command':['true']}},"
                + "'readinessProbe':{'exec':{'command':['true']}},'startupProbe':{'exec':{'command':['true']}},"
                + "'lifecycle':{'preStop':{'exec':{'command':['true']}}},'restartPolicy':'Always'}]"))
                .contains("spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container");
        // an empty value is no value, as for Go's zero-value comparison
        assertThat(add("[{'name':'d','image':'busybox','ports':[],'resources':{}}]")).isEmpty();
    }

    @Test
    void subPathMountsAreForbidden() {
        ObjectNode pod = pod("[{'name':'d','image':'busybox','volumeMounts':[{'name':'data','mountPath':'/d','subPath':'x'},"
                + "{'name':'data','mountPath':'/e','subPathExpr':'$(A)'}]}]");
        ((ObjectNode) pod.get("spec")).putArray("volumes").addObject().put("name", "data").putObject("emptyDir");
        ObjectNode old = pod("[]");
        ((ObjectNode) old.get("spec")).set("volumes", pod.get("spec").get("volumes").deepCopy());
        assertThat(messages(pods.validateUpdate(pod, old, SUBRESOURCE))).containsExactly(
                "spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].volumeMounts[1].subPathExpr: Forbidden: cannot be set for an Ephemeral Container");
    }

    @Test
    void existingEphemeralContainersMayNotBeRemovedOrChanged() {
        ObjectNode old = pod("[{'name':'d1','image':'busybox'},{'name':'d2','image':'busybox'}]");
        // order is not kept by patches: a reordered list with one more is fine
        assertThat(pods.validateUpdate(pod("[{'name':'d2','image':'busybox'},{'name':'d1','image':'busybox'},"
                + "{'name':'d3','image':'busybox'}]"), old, SUBRESOURCE)).isEmpty();
        assertThat(messages(pods.validateUpdate(pod("[{'name':'d1','image':'busybox'}]"), old, SUBRESOURCE)))
                .containsExactly("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"d2\" may not be removed\n");
        List<String> changed = messages(pods.validateUpdate(pod("[{'name':'d1','image':'alpine'},"
                + "{'name':'d2','image':'busybox'}]"), old, SUBRESOURCE));
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0)).startsWith("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"d1\" "
                + "may not be changed\n").contains("image");
    }

    @Test
    void staticPodsTakeNoEphemeralContainers() {
        ObjectNode old = pod("{'kubernetes.io/config.mirror':'abc'}", "[]");
        ObjectNode now = pod("{'kubernetes.io/config.mirror':'abc'}", "[{'name':'d','image':'busybox'}]");
        assertThat(messages(pods.validateUpdate(now, old, SUBRESOURCE)))
                .containsExactly(": Forbidden: static pods do not support ephemeral containers");
    }

    @Test
    void theMainResourceStillRefusesEphemeralContainerChanges() {
        List<FieldError> errs = pods.validateUpdate(pod("[{'name':'d','image':'busybox'}]"), pod("[]"));
        assertThat(errs).hasSize(1);
        assertThat(errs.get(0).message()).startsWith("spec: Forbidden: pod updates may not change fields other than ")
                .contains("ephemeralContainers");
    }

    @Test
    void aPodTemplateMayNotHaveThem() {
        ObjectNode deployment = defaulted("apps", "Deployment", "{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
                + "{'name':'t','namespace':'default'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':"
                + "{'labels':{'a':'b'}},'spec':{'containers':[{'name':'main','image':'busybox'}],"
                + "'ephemeralContainers':[{'name':'d','image':'busybox','ports':[{'containerPort':80}]}]}}}}");
        assertThat(messages(Validators.forKind("apps", "Deployment").validateCreate(deployment))).contains(
                "spec.template.spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
                "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template");
    }
}
