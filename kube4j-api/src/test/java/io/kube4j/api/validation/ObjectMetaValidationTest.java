package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ObjectMetaValidationTest {

    private static List<String> create(String group, String kind, String text) {
        return messages(Validators.forKind(group, kind).validateCreate(json(text)));
    }

    @Test
    void nameIsRequiredUnlessGenerateName() {
        assertThat(create("", "ConfigMap", "{'metadata':{'namespace':'default'}}"))
                .containsExactly("metadata.name: Required value: name or generateName is required");
    }

    @Test
    void configMapNamesAreSubdomains() {
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'a.b','namespace':'default'}}")).isEmpty();
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'A','namespace':'default'}}")).containsExactly(
                "metadata.name: Invalid value: \"A\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    @Test
    void namespacesAreLabels() {
        assertThat(create("", "Namespace", "{'metadata':{'name':'a.b'}}"))
                .containsExactly("metadata.name: Invalid value: \"a.b\": must not contain dots");
    }

    @Test
    void servicesAreDns1035Labels() {
        assertThat(create("", "Service", "{'metadata':{'name':'1abc','namespace':'d'},'spec':{'type':'ClusterIP','sessionAffinity':'None',"
                + "'ports':[{'port':80,'protocol':'TCP','targetPort':80}]}}"))
                .containsExactly("metadata.name: Invalid value: \"1abc\": a DNS-1035 label must consist of lower case alphanumeric "
                        + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
                        + "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void generateNameMayEndWithDash() {
        assertThat(create("", "ConfigMap", "{'metadata':{'generateName':'web-','name':'web-x1z2','namespace':'d'}}")).isEmpty();
    }

    @Test
    void namespaceRequiredOrForbiddenByScope() {
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'x'}}")).containsExactly("metadata.namespace: Required value");
        assertThat(create("", "Namespace", "{'metadata':{'name':'x','namespace':'y'}}"))
                .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
        assertThat(create("example.com", "Widget", "{'metadata':{'name':'x'}}")).isEmpty();
    }

    @Test
    void labelKeysAndValues() {
        List<String> errs = create("", "ConfigMap", "{'metadata':{'name':'x','namespace':'d','labels':{'-bad':'ok','good':'-bad'}}}");
        assertThat(errs).hasSize(2);
        assertThat(errs.get(0)).startsWith("metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric");
        assertThat(errs.get(1)).startsWith("metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string");
    }

    @Test
    void annotationsTotalSizeIsLimited() {
        ObjectNode cm = json("{'metadata':{'name':'x','namespace':'d'}}");
        ((ObjectNode) cm.get("metadata")).putObject("annotations").put("big", "x".repeat(256 * 1024));
        assertThat(messages(Validators.forKind("", "ConfigMap").validateCreate(cm)))
                .containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    @Test
    void finalizersMustBeQualifiedAndStandardWhenUnprefixed() {
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'x','namespace':'d','finalizers':['example.com/f','kubernetes']}}")).isEmpty();
        assertThat(create("", "ConfigMap", "{'metadata':{'name':'x','namespace':'d','finalizers':['custom']}}")).containsExactly(
                "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified");
    }

    @Test
    void ownerReferences() {
        List<String> errs = create("", "ConfigMap", "{'metadata':{'name':'x','namespace':'d','ownerReferences':["
                + "{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'a','uid':'1','controller':true},"
                + "{'apiVersion':'','kind':'','name':'','uid':'','controller':true}]}}");
        assertThat(errs).contains("metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty");
        assertThat(errs.get(errs.size() - 1)).contains(
                "Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and /");
    }

    @Test
    void updateKeepsIdentityFields() {
        ObjectNode old = json("{'metadata':{'name':'x','namespace':'d','uid':'u1','resourceVersion':'5','creationTimestamp':'2024-01-01T00:00:00Z'}}");
        ObjectNode now = json("{'metadata':{'name':'x','namespace':'d','uid':'u2','resourceVersion':'5','creationTimestamp':'2024-01-01T00:00:00Z'}}");
        assertThat(messages(Validators.forKind("", "ConfigMap").validateUpdate(now, old)))
                .containsExactly("metadata.uid: Invalid value: \"u2\": field is immutable");
    }

    @Test
    void noNewFinalizersWhileDeleting() {
        ObjectNode old = json("{'metadata':{'name':'x','namespace':'d','deletionTimestamp':'2024-01-01T00:00:00Z','finalizers':['a.io/x']}}");
        ObjectNode now = json("{'metadata':{'name':'x','namespace':'d','deletionTimestamp':'2024-01-01T00:00:00Z','finalizers':['a.io/x','b.io/y']}}");
        assertThat(messages(Validators.forKind("", "ConfigMap").validateUpdate(now, old))).containsExactly(
                "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b.io/y\"}");
    }
}
