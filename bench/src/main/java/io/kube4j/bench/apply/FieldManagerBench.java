package io.kube4j.bench.apply;

import io.kube4j.api.apply.FieldManager;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The managedFields bookkeeping of a create and an update ({@link FieldManager#update}) for a typical Pod and
 * ConfigMap, as the API server runs it for every non-apply write; the {@code Own} cases are updates by the object's
 * only manager of values it owns, which the field manager answers without decoding managedFields. Each call works on
 * a fresh copy of the request object (update modifies it); {@code copyOnly} measures that copy alone so it can be
 * subtracted.
 *
 * <p>Run: {@code mvn -q -B -o -pl bench -am install -DskipTests && java -cp
 * bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main FieldManagerBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FieldManagerBench {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2025-01-01T00:01:00Z");

    private final FieldManager fieldManager = new FieldManager();
    private ObjectNode podNew;
    private ObjectNode podLive;
    private ObjectNode podChanged;
    private ObjectNode cmNew;
    private ObjectNode cmLive;
    private ObjectNode cmChanged;
    private ObjectNode cmOwnLive;
    private ObjectNode cmOwnChanged;
    private ObjectNode podOwnChanged;

    @Setup
    public void setup() {
        podNew = (ObjectNode) MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"default",
                 "labels":{"app":"web","tier":"frontend"},"annotations":{"note":"bench"}},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.27","imagePullPolicy":"IfNotPresent",
                   "ports":[{"containerPort":80,"protocol":"TCP"}],
                   "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                   "resources":{"requests":{"cpu":"100m","memory":"64Mi"}},
                   "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
                  {"name":"sidecar","image":"busybox:1.36","command":["sleep","3600"],
                   "imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log",
                   "terminationMessagePolicy":"File"}],
                  "restartPolicy":"Always","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler",
                  "terminationGracePeriodSeconds":30,"securityContext":{},"enableServiceLinks":true,
                  "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",
                   "tolerationSeconds":300}]}}
                """);
        podLive = fieldManager.update(null, podNew.deepCopy(), "kubectl-create", "", T0);
        podChanged = podLive.deepCopy();
        ((ObjectNode) podChanged.path("metadata").path("labels")).put("version", "2");
        ((ObjectNode) podChanged.path("spec").path("containers").get(0)).put("image", "nginx:1.28");

        cmNew = (ObjectNode) MAPPER.readTree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default",
                 "labels":{"app":"web"}},
                 "data":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8"}}
                """);
        cmLive = fieldManager.update(null, cmNew.deepCopy(), "kubectl-create", "", T0);
        cmChanged = cmLive.deepCopy();
        ((ObjectNode) cmChanged.path("data")).put("b", "two").put("i", "9");

        // the API server bench's update: the client that created the object sends it back (managedFields and all)
        // with one value changed
        cmOwnLive = fieldManager.update(null, (ObjectNode) MAPPER.readTree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-0","namespace":"bench",
                 "labels":{"app":"bench","gen":"g0"}},"data":{"key":"value-0"}}
                """), "bench-client", "", T0);
        cmOwnChanged = cmOwnLive.deepCopy();
        ((ObjectNode) cmOwnChanged.path("data")).put("key", "value-1");
        podOwnChanged = podLive.deepCopy();
        ((ObjectNode) podOwnChanged.path("spec").path("containers").get(0)).put("image", "nginx:1.28");
    }

    @Benchmark
    public ObjectNode copyOnly() {
        return podChanged.deepCopy();
    }

    @Benchmark
    public ObjectNode podCreate() {
        return fieldManager.update(null, podNew.deepCopy(), "kubectl-create", "", T0);
    }

    @Benchmark
    public ObjectNode podUpdate() {
        return fieldManager.update(podLive, podChanged.deepCopy(), "kubectl-edit", "", T1);
    }

    @Benchmark
    public ObjectNode configMapCreate() {
        return fieldManager.update(null, cmNew.deepCopy(), "kubectl-create", "", T0);
    }

    @Benchmark
    public ObjectNode configMapUpdate() {
        return fieldManager.update(cmLive, cmChanged.deepCopy(), "kubectl-edit", "", T1);
    }

    /** A data value changed by the manager that created the ConfigMap and owns every field. */
    @Benchmark
    public ObjectNode configMapOwnUpdate() {
        return fieldManager.update(cmOwnLive, cmOwnChanged.deepCopy(), "bench-client", "", T1);
    }

    /** A container image changed by the manager that created the Pod. */
    @Benchmark
    public ObjectNode podOwnUpdate() {
        return fieldManager.update(podLive, podOwnChanged.deepCopy(), "kubectl-create", "", T1);
    }
}
