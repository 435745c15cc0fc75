package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The ValidatingAdmissionPolicy(Binding) tables: upstream's columns and cells. */
class AdmissionPolicyPrintersTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String GROUP = "admissionregistration.k8s.io";
    private static final String META = "'metadata':{'name':'p','creationTimestamp':'2024-05-01T11:00:00Z'}";

    private static List<Object> cells(String kind, String text) {
        return TablePrinters.forKind(GROUP, kind).cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW);
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(TablePrinters.forKind(GROUP, "ValidatingAdmissionPolicy").columns().stream().map(Column::name))
                .containsExactly("Name", "Validations", "ParamKind", "Age");
        assertThat(TablePrinters.forKind(GROUP, "ValidatingAdmissionPolicyBinding").columns().stream()
                .map(Column::name)).containsExactly("Name", "PolicyName", "ParamRef", "Age");
    }

    @Test
    void aPolicyShowsItsValidationCountAndParamKind() {
        assertThat(cells("ValidatingAdmissionPolicy", "{" + META + ",'spec':{'validations':[{'expression':'true'},"
                + "{'expression':'false'}],'paramKind':{'apiVersion':'v1','kind':'ConfigMap'}}}"))
                .containsExactly("p", 2L, "v1/ConfigMap", "60m");
        assertThat(cells("ValidatingAdmissionPolicy", "{" + META + ",'spec':{}}"))
                .containsExactly("p", 0L, "<unset>", "60m");
    }

    @Test
    void aBindingShowsItsParamRefAsUpstreamPrintsIt() {
        assertThat(cells("ValidatingAdmissionPolicyBinding", "{" + META + ",'spec':{'policyName':'pol',"
                + "'paramRef':{'name':'limits','namespace':'prod'}}}")).containsExactly("p", "pol", "prod/limits", "60m");
        assertThat(cells("ValidatingAdmissionPolicyBinding", "{" + META + ",'spec':{'policyName':'pol',"
                + "'paramRef':{'name':'limits'}}}")).containsExactly("p", "pol", "*/limits", "60m");
        assertThat(cells("ValidatingAdmissionPolicyBinding", "{" + META + ",'spec':{'policyName':'pol',"
                + "'paramRef':{'selector':{'matchLabels':{'b':'2','a':'1'},'matchExpressions':[{'key':'env',"
                + "'operator':'In','values':['x','y']}]}}}}")).containsExactly("p", "pol",
                "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement"
                        + "{LabelSelectorRequirement{Key:env,Operator:In,Values:[x y],},},}", "60m");
        assertThat(cells("ValidatingAdmissionPolicyBinding", "{" + META + ",'spec':{'policyName':'pol'}}"))
                .containsExactly("p", "pol", "<unset>", "60m");
    }
}
