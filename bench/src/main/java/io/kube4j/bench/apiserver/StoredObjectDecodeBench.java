package io.kube4j.bench.apiserver;

import io.kube4j.api.apply.FieldManager;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ObjectCodec;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * What an update's read of the stored object costs ({@code decode}: the stored bytes parsed into a tree, as
 * GenericRegistry.decode does) against a deep copy of a tree already decoded ({@code deepCopy}: what reusing a kept
 * tree would cost at the least, as the update path changes what it reads), for the ConfigMap of the update benchmark
 * with the managedFields its create leaves. Run with {@code -prof gc} for the allocation per call.
 *
 * <p>Run: {@code mvn -q -B -o -pl bench -am install -DskipTests && java -cp
 * bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main StoredObjectDecodeBench -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoredObjectDecodeBench {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private byte[] cmBytes;
    private ObjectNode cm;

    @Setup
    public void setup() {
        FieldManager fieldManager = new FieldManager();
        ObjectNode cmNew = parse("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings-17","namespace":"default",
                 "uid":"0f5a8c3e-8d1e-4a53-9d55-6c2f3b1c9a10","creationTimestamp":"2025-01-01T00:00:00Z",
                 "labels":{"app":"web"}},
                 "data":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8"}}
                """);
        cm = fieldManager.update(null, cmNew, "bench", "", T0);
        cmBytes = ObjectCodec.encode(cm);
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public ObjectNode configMapDecode() {
        return ObjectCodec.decode(cmBytes, 42);
    }

    @Benchmark
    public ObjectNode configMapDeepCopy() {
        return cm.deepCopy();
    }
}
