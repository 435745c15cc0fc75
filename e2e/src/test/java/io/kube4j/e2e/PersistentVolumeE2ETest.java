package io.kube4j.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PersistentVolumes on a real single-node cluster with real kubectl (issue 8): the controller manager's
 * persistentvolume-binder binds an applied claim to an applied hostPath volume, a pod writes through the claim into
 * the host directory, a deleted claim leaves a Retain volume Released; and a claim of a WaitForFirstConsumer class
 * binds only once the scheduler placed its pod, to the local volume whose node affinity admits that node.
 */
class PersistentVolumeE2ETest {
    /** The volumes are host directories under the class's temp dir and objects in the server's store: both go. */
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    static String node;

    @BeforeAll
    static void readNodeName() {
        node = cluster.kubectl().run("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").assertOk().stdout()
                .trim();
    }

    @Test
    void anAppliedClaimBindsToAHostPathVolumeThatAPodWritesInto() throws Exception {
        Path hostDir = cluster.dir().resolve("pv-data");
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv-host}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: ""
                  hostPath: {path: %s, type: DirectoryOrCreate}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: ""
                  resources: {requests: {storage: 500Mi}}
                """.formatted(hostDir), "apply", "-f", "-").assertOk();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String row = cluster.kubectl().run("get", "pvc", "data", "--no-headers").stdout();
            assertThat(row.trim().split("\\s+")).as(row).startsWith("data", "Bound", "pv-host", "1Gi", "RWO");
        });
        assertThat(cluster.kubectl().run("get", "pv", "pv-host", "-o", "jsonpath={.status.phase} {.spec.claimRef.name}")
                .stdout()).isEqualTo("Bound data");

        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: writer}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: w
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo written-through-the-claim > /data/out.txt"]
                    volumeMounts: [{name: d, mountPath: /data}]
                  volumes:
                  - name: d
                    persistentVolumeClaim: {claimName: data}
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pod", "writer", "-o", "jsonpath={.status.phase}").stdout())
                        .isEqualTo("Succeeded"));
        assertThat(Files.readString(hostDir.resolve("out.txt")).trim()).isEqualTo("written-through-the-claim");

        cluster.kubectl().run("delete", "pod", "writer", "--wait=true", "--timeout=60s").assertOk();
        cluster.kubectl().run("delete", "pvc", "data", "--wait=true", "--timeout=60s").assertOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pv", "pv-host", "-o", "jsonpath={.status.phase}").stdout())
                        .isEqualTo("Released"));
        // Retain: the data stays
        assertThat(hostDir.resolve("out.txt")).exists();
    }

    @Test
    void aWaitForFirstConsumerClaimBindsToTheLocalVolumeOfThePodsNode() throws Exception {
        Path localDir = Files.createDirectories(cluster.dir().resolve("local-data"));
        cluster.kubectl().runWithInput("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: local-wffc}
                provisioner: kubernetes.io/no-provisioner
                volumeBindingMode: WaitForFirstConsumer
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv-elsewhere}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: local-wffc
                  local: {path: /nonexistent}
                  nodeAffinity:
                    required:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [some-other-node]}]
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv-local}
                spec:
                  capacity: {storage: 2Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: local-wffc
                  local: {path: %s}
                  nodeAffinity:
                    required:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [%s]}]
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: local-claim}
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: local-wffc
                  resources: {requests: {storage: 1Gi}}
                """.formatted(localDir, node), "apply", "-f", "-").assertOk();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "events", "--field-selector", "involvedObject.name=local-claim",
                        "-o", "jsonpath={.items[*].reason}").stdout()).contains("WaitForFirstConsumer"));
        assertThat(cluster.kubectl().run("get", "pvc", "local-claim", "-o", "jsonpath={.status.phase}").stdout()).isEqualTo("Pending");

        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: consumer}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo local > /data/mark && sleep 3600"]
                    volumeMounts: [{name: d, mountPath: /data}]
                  volumes:
                  - name: d
                    persistentVolumeClaim: {claimName: local-claim}
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pod", "consumer", "-o", "jsonpath={.status.phase}").stdout())
                        .isEqualTo("Running"));
        assertThat(cluster.kubectl().run("get", "pvc", "local-claim", "-o", "jsonpath={.status.phase} {.spec.volumeName}").stdout())
                .isEqualTo("Bound pv-local");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(localDir.resolve("mark")).hasContent("local"));
        assertThat(cluster.kubectl().run("get", "pv", "pv-elsewhere", "-o", "jsonpath={.status.phase}").stdout()).isEqualTo("Available");
    }
}
