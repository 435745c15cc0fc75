package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real kubectl against a started server: one suite, run by {@link KubectlEndToEndTest} with the kubectl
 * that the dispatcher picks for the server's version (1.32) and by {@link KubectlVersionsTest} with 1.27, 1.30
 * and 1.33.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KubectlSuite {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: e2e
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.25
            """;
    private static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: e2e
            """;

    @RegisterExtension
    final TestServer server = TestServer.perClass();
    Path dir;
    Kubectl kubectl;

    /** The kubectl binary this run uses. */
    abstract Path binary();

    @BeforeAll
    void start() throws Exception {
        dir = server.dir();
        kubectl = new Kubectl(binary(), server.kubeconfig(), dir);
        Files.writeString(dir.resolve("ns.yaml"), NAMESPACE);
        ok(kubectl.run("apply", "-f", dir.resolve("ns.yaml").toString()));
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        assertThat(result.exit()).as(result.all()).isZero();
        return result;
    }

    private Path file(String name, String text) throws Exception {
        Path path = dir.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    @Test
    void createGetAndOutputFormats() throws Exception {
        Path pod = file("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p1
                  namespace: e2e
                  labels: {tier: front}
                spec:
                  containers:
                  - name: c
                    image: busybox
                """);
        assertThat(ok(kubectl.run("create", "-f", pod.toString())).out()).contains("pod/p1 created");
        String wide = ok(kubectl.run("get", "pods", "-n", "e2e", "-o", "wide")).out();
        assertThat(wide).contains("NAME", "READY", "STATUS", "NODE", "p1", "Pending");
        assertThat(ok(kubectl.run("get", "pod", "p1", "-n", "e2e", "-o", "yaml")).out())
                .contains("kind: Pod", "restartPolicy: Always", "phase: Pending");
        assertThat(ok(kubectl.run("get", "pod", "p1", "-n", "e2e", "-o", "json")).out()).contains("\"uid\"");
        assertThat(ok(kubectl.run("get", "pod", "p1", "-n", "e2e", "-o", "jsonpath={.spec.dnsPolicy}")).out())
                .isEqualTo("ClusterFirst");
        assertThat(ok(kubectl.run("get", "pods", "-n", "e2e", "-l", "tier=front", "-o", "name")).out().trim())
                .isEqualTo("pod/p1");
        assertThat(ok(kubectl.run("get", "pods", "-n", "e2e", "-l", "tier=back")).all())
                .contains("No resources found");
        assertThat(ok(kubectl.run("get", "pods", "-A", "--field-selector", "status.phase=Pending")).out())
                .contains("e2e", "p1");
        assertThat(ok(kubectl.run("get", "pods", "-n", "e2e", "--show-labels")).out()).contains("tier=front");
        assertThat(ok(kubectl.run("get", "ns")).out()).contains("default", "kube-system", "e2e");
        assertThat(ok(kubectl.run("describe", "pod", "p1", "-n", "e2e")).out()).contains("Name:", "p1");
        Kubectl.Result missing = kubectl.run("get", "pod", "nope", "-n", "e2e");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");
    }

    @Test
    void applyTwiceWithAChangeThenScalePatchLabelAnnotate() throws Exception {
        Path deployment = file("deploy.yaml", DEPLOYMENT);
        assertThat(ok(kubectl.run("apply", "-f", deployment.toString())).out()).contains("deployment.apps/web created");
        file("deploy.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"));
        assertThat(ok(kubectl.run("apply", "-f", deployment.toString())).out()).contains("configured");
        assertThat(ok(kubectl.run("apply", "-f", deployment.toString())).out()).contains("unchanged");
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", "e2e", "-o",
                "jsonpath={.spec.replicas} {.metadata.generation}")).out()).isEqualTo("3 2");
        ok(kubectl.run("scale", "deploy", "web", "-n", "e2e", "--replicas=5"));
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", "e2e", "-o", "jsonpath={.spec.replicas}")).out())
                .isEqualTo("5");
        // the scale subresource read as a table prints upstream's Scale columns
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", "e2e", "--subresource=scale")).out())
                .matches("(?s)NAME\\s+DESIRED\\s+AVAILABLE\\s+AGE\\s+web\\s+5\\s+\\d+\\s+\\S+\\s*");
        ok(kubectl.run("patch", "deploy", "web", "-n", "e2e", "--type", "strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}}}"));
        ok(kubectl.run("patch", "deploy", "web", "-n", "e2e", "--type", "merge", "-p",
                "{\"metadata\":{\"labels\":{\"merged\":\"yes\"}}}"));
        ok(kubectl.run("patch", "deploy", "web", "-n", "e2e", "--type", "json", "-p",
                "[{\"op\":\"add\",\"path\":\"/spec/minReadySeconds\",\"value\":3}]"));
        ok(kubectl.run("label", "deploy", "web", "-n", "e2e", "team=blue"));
        ok(kubectl.run("annotate", "deploy", "web", "-n", "e2e", "note=hello"));
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", "e2e", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.metadata.labels.merged} {.spec.minReadySeconds} "
                        + "{.metadata.labels.team} {.metadata.annotations.note}")).out())
                .isEqualTo("nginx:1.26 yes 3 blue hello");
        ok(kubectl.run("set", "image", "deploy/web", "-n", "e2e", "nginx=nginx:1.27"));
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", "e2e", "-o", "wide")).out())
                .contains("nginx:1.27", "app=web");
        assertThat(ok(kubectl.run("delete", "deploy", "web", "-n", "e2e")).out()).contains("deleted");
        assertThat(kubectl.run("get", "deploy", "web", "-n", "e2e").exit()).isNotZero();
    }

    @Test
    void serverSideApplyDiffExplainWaitAndCascade() throws Exception {
        Path deployment = file("ssa.yaml", DEPLOYMENT.replace("name: web", "name: ssa"));
        assertThat(ok(kubectl.run("apply", "--server-side", "-f", deployment.toString())).out())
                .contains("deployment.apps/ssa serverside-applied");
        assertThat(ok(kubectl.run("get", "deploy", "ssa", "-n", "e2e", "-o",
                "jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")).out())
                .isEqualTo("kubectl Apply");
        file("ssa.yaml", DEPLOYMENT.replace("name: web", "name: ssa").replace("replicas: 2", "replicas: 4"));
        Kubectl.Result diff = kubectl.run("diff", "-f", deployment.toString());
        assertThat(diff.exit()).as(diff.all()).isEqualTo(1);
        assertThat(diff.out()).contains("-  replicas: 2", "+  replicas: 4");
        assertThat(ok(kubectl.run("explain", "deployment.spec.replicas")).out()).contains("replicas", "integer");
        ok(kubectl.run("label", "deploy", "ssa", "-n", "e2e", "checked=yes"));
        assertThat(ok(kubectl.run("wait", "--for=jsonpath={.metadata.labels.checked}=yes", "deploy/ssa", "-n", "e2e",
                "--timeout=30s")).out()).contains("condition met");
        // orphaning waits for the garbage collector (none runs here) to drop the "orphan" finalizer, as upstream
        assertThat(ok(kubectl.run("delete", "deploy", "ssa", "-n", "e2e", "--cascade=orphan", "--wait=false")).out())
                .contains("deployment.apps \"ssa\" deleted");
        assertThat(ok(kubectl.run("get", "deploy", "ssa", "-n", "e2e", "-o",
                "jsonpath={.metadata.finalizers[0]} {.metadata.deletionTimestamp}")).out()).startsWith("orphan 20");
        Path other = file("bg.yaml", DEPLOYMENT.replace("name: web", "name: bg"));
        ok(kubectl.run("apply", "-f", other.toString()));
        assertThat(ok(kubectl.run("delete", "deploy", "bg", "-n", "e2e", "--cascade=background")).out())
                .contains("deployment.apps \"bg\" deleted");
        assertThat(kubectl.run("get", "deploy", "bg", "-n", "e2e").exit()).isNotZero();
    }

    @Test
    void explainPrintsUpstreamsDescriptions() {
        // kubectl wraps descriptions at 80 columns: compare with the line breaks folded back into spaces
        String restartPolicy = ok(kubectl.run("explain", "pod.spec.restartPolicy")).out().replaceAll("\\s+", " ");
        assertThat(restartPolicy).contains("restartPolicy <string>", "Restart policy for all containers within the"
                + " pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be"
                + " permitted. Default to Always.");
        String deploymentSpec = ok(kubectl.run("explain", "deployment.spec")).out().replaceAll("\\s+", " ");
        assertThat(deploymentSpec).contains("DeploymentSpec is the specification of the desired behavior of the"
                + " Deployment.", "replicas <integer>", "Number of desired pods.",
                "template <PodTemplateSpec> -required-", "Template describes the pods that will be created.");
    }

    @Test
    void imperativeCreateSendsProtobuf() {
        ok(kubectl.run("create", "namespace", "imperative"));
        ok(kubectl.run("create", "configmap", "cm1", "-n", "imperative", "--from-literal=a=b"));
        ok(kubectl.run("create", "secret", "generic", "s1", "-n", "imperative", "--from-literal=p=q"));
        ok(kubectl.run("create", "deployment", "d1", "-n", "imperative", "--image=nginx:1.25", "--replicas=2"));
        ok(kubectl.run("create", "service", "nodeport", "svc1", "-n", "imperative", "--tcp=80:8080"));
        assertThat(ok(kubectl.run("get", "cm", "cm1", "-n", "imperative", "-o", "jsonpath={.data.a}")).out())
                .isEqualTo("b");
        assertThat(ok(kubectl.run("get", "secret", "s1", "-n", "imperative", "-o", "jsonpath={.data.p}")).out())
                .isEqualTo("cQ==");
        assertThat(ok(kubectl.run("get", "deploy", "d1", "-n", "imperative", "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")).out())
                .isEqualTo("2 nginx:1.25");
        String svc = ok(kubectl.run("get", "svc", "svc1", "-n", "imperative", "-o",
                "jsonpath={.spec.clusterIP} {.spec.ports[0].nodePort}")).out();
        assertThat(svc).matches("10\\.43\\.\\d+\\.\\d+ 3\\d{4}");
    }

    @Test
    void discoveryCommands() {
        String resources = ok(kubectl.run("api-resources")).out();
        assertThat(resources).contains("pods", "po", "true", "Pod", "deployments", "deploy", "apps/v1",
                "customresourcedefinitions", "crd,crds");
        assertThat(ok(kubectl.run("api-resources", "--namespaced=false", "-o", "name")).out()).contains("nodes",
                "namespaces").doesNotContain("pods\n");
        assertThat(ok(kubectl.run("api-versions")).out()).contains("v1", "apps/v1", "batch/v1",
                "coordination.k8s.io/v1", "autoscaling/v2");
        // kubectl 1.27 prints Go structs by default, later ones "Server Version: v..."; JSON is the same in all
        assertThat(ok(kubectl.run("version", "-o", "json")).out()).contains("\"gitVersion\": \"v1.32.0-kube4j\"");
    }

    @Test
    void watchPrintsChanges() throws Exception {
        Process watch = kubectl.startStreaming("get", "configmaps", "-n", "e2e", "-w");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
            Path cm = file("cm.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: watched
                      namespace: e2e
                    data: {a: "1"}
                    """);
            List<String> lines = new ArrayList<>();
            // the header (or "No resources") comes first; then create and the watch shows it
            Thread.sleep(0);
            ok(kubectl.run("create", "-f", cm.toString()));
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("watched")) {
                    break;
                }
            }
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("watched"));
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverDryRunAndBadInput() throws Exception {
        Path cm = file("dry.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dry
                  namespace: e2e
                """);
        ok(kubectl.run("create", "-f", cm.toString(), "--dry-run=server"));
        assertThat(kubectl.run("get", "cm", "dry", "-n", "e2e").exit()).isNotZero();
        Path invalid = file("invalid.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: Bad_Name
                  namespace: e2e
                """);
        Kubectl.Result result = kubectl.run("create", "-f", invalid.toString());
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("is invalid", "metadata.name");
        Kubectl.Result missingNs = kubectl.run("create", "-f", cm.toString(), "-n", "e2e", "--namespace", "ghost");
        assertThat(missingNs.exit()).isNotZero();
    }

    @Test
    void deletedNamespaceIsTerminatingUntilTheNamespaceControllerEmptiesIt() throws Exception {
        Path ns = file("ns2.yaml", NAMESPACE.replace("e2e", "doomed"));
        ok(kubectl.run("apply", "-f", ns.toString()));
        Path cm = file("doomed-cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  namespace: doomed
                """);
        ok(kubectl.run("apply", "-f", cm.toString()));
        // no controller manager runs here (the controllers module's NamespaceDeletionTest and the e2e module
        // cover the emptying): the API server marks it Terminating and refuses new content
        ok(kubectl.run("delete", "ns", "doomed", "--wait=false"));
        assertThat(ok(kubectl.run("get", "ns", "doomed")).out()).contains("Terminating");
        assertThat(ok(kubectl.run("get", "cm", "c", "-n", "doomed")).out()).contains("c");
        Path late = file("late-cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: late
                  namespace: doomed
                """);
        assertThat(kubectl.run("create", "-f", late.toString()).err())
                .contains("because it is being terminated");
    }
}
