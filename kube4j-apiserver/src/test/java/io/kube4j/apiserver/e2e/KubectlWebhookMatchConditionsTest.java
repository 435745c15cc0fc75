package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real kubectl applies a webhook configuration with matchConditions (refused, with the field, when an expression
 * does not compile), and lists it with {@code kubectl get api-extensions}.
 */
class KubectlWebhookMatchConditionsTest {

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static String configuration(String name, String expression) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata:
                  name: %s
                webhooks:
                - name: check.example.com
                  clientConfig:
                    url: https://127.0.0.1:1/check
                  rules:
                  - {operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}
                  failurePolicy: Ignore
                  sideEffects: None
                  admissionReviewVersions: [v1]
                  matchConditions:
                  - name: not-kube-system
                    expression: "%s"
                """.formatted(name, expression);
    }

    @Test
    void applyKeepsMatchConditionsAndApiExtensionsListsTheConfiguration() {
        Path file = cluster.file("webhook.yaml", configuration("mc-demo", "request.namespace != 'kube-system'"));
        assertThat(cluster.kubectl().run("apply", "-f", file.toString()).ok().out())
                .contains("validatingwebhookconfiguration.admissionregistration.k8s.io/mc-demo created");
        assertThat(cluster.kubectl().run("get", "validatingwebhookconfiguration", "mc-demo", "-o",
                "jsonpath={.webhooks[0].matchConditions[0].expression}").ok().out())
                .isEqualTo("request.namespace != 'kube-system'");
        assertThat(cluster.kubectl().run("get", "api-extensions").ok().out())
                .contains("validatingwebhookconfiguration.admissionregistration.k8s.io/mc-demo");

        Path broken = cluster.file("broken.yaml", configuration("mc-broken", "request.namespace !="));
        Kubectl.Result refused = cluster.kubectl().run("apply", "-f", broken.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("is invalid: webhooks[0].matchConditions[0].expression: Invalid value: "
                + "\"request.namespace !=\": compilation failed:");
    }
}
