package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ServiceValidationTest {
    private final Validator services = Validators.forKind("", "Service");

    private static ObjectNode svc(String spec) {
        return defaulted("", "Service", "{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
    }

    private List<String> create(String spec) {
        return messages(services.validateCreate(svc(spec)));
    }

    @Test
    void simpleServiceIsValid() {
        assertThat(create("{'selector':{'app':'web'},'ports':[{'port':80}]}")).isEmpty();
    }

    @Test
    void portsRequiredUnlessHeadlessOrExternalName() {
        assertThat(create("{'selector':{'app':'web'}}")).containsExactly("spec.ports: Required value");
        assertThat(create("{'clusterIP':'None'}")).isEmpty();
        assertThat(create("{'type':'ExternalName','externalName':'example.com'}")).isEmpty();
    }

    @Test
    void externalNameMustBeADnsName() {
        assertThat(create("{'type':'ExternalName'}")).containsExactly("spec.externalName: Required value");
    }

    @Test
    void portRangeProtocolAndNames() {
        assertThat(create("{'ports':[{'port':0,'protocol':'HTTP'},{'port':80,'name':'Http'}]}")).containsExactly(
                "spec.ports[0].name: Required value",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].name: Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                        + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void duplicatePorts() {
        assertThat(create("{'ports':[{'name':'a','port':80},{'name':'b','port':80}]}")).containsExactly(
                "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, "
                        + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
    }

    @Test
    void typeEnum() {
        assertThat(create("{'type':'Magic','ports':[{'port':80}]}")).containsExactly(
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
    }

    @Test
    void nodePortRangeAndClusterIpType() {
        assertThat(create("{'type':'NodePort','ports':[{'port':80,'nodePort':80}]}")).containsExactly(
                "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767");
        assertThat(create("{'ports':[{'port':80,'nodePort':30080}]}"))
                .containsExactly("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
        assertThat(create("{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}")).isEmpty();
    }

    @Test
    void clusterIpIsImmutable() {
        ObjectNode old = svc("{'clusterIP':'10.0.0.10','clusterIPs':['10.0.0.10'],'ports':[{'port':80}]}");
        ((ObjectNode) old.get("metadata")).put("resourceVersion", "1");
        ObjectNode changed = svc("{'clusterIP':'10.0.0.11','clusterIPs':['10.0.0.11'],'ports':[{'port':80}]}");
        ObjectNode omitted = svc("{'ports':[{'port':81}]}");
        assertThat(messages(services.validateUpdate(changed, old)))
                .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.11\"}: may not change once set");
        assertThat(services.validateUpdate(omitted, old)).isEmpty();
    }

    @Test
    void invalidClusterIp() {
        assertThat(create("{'clusterIP':'10.0.0.300','ports':[{'port':80}]}"))
                .containsExactly("spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
}
