package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status manager against a fake API whose writes a test can hold on the wire or fail. Every test has a timeout:
 * a sync thread that waited for the API would hang on a held write instead of failing an assertion.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusManagerTest {
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final FakeApi api = new FakeApi();
    private final StatusManager statuses = new StatusManager(json, api);

    /** One pods/status merge patch as the API got it. */
    private record Write(String pod, String patch) {
    }

    /** Records writes; the write of the pod named in {@code hold} waits on the wire until {@code release}. */
    private static final class FakeApi implements StatusManager.Writer {
        final List<Write> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch onTheWire = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String hold;
        volatile int failures;
        /** Answer 422 (a pod of that name with another uid) to every write while set; counted. */
        volatile boolean refuse;
        final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void patchStatus(String namespace, String name, String mergePatch) {
            if (name.equals(hold)) {
                hold = null;
                onTheWire.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (refuse) {
                refused.incrementAndGet();
                throw new KubernetesClientException("Pod \"" + name + "\" is invalid: metadata.uid: field is immutable",
                        422, null);
            }
            if (failures > 0) {
                failures--;
                throw new KubernetesClientException("etcdserver: request timed out", 500, null);
            }
            writes.add(new Write(name, mergePatch));
        }

        List<String> patchesOf(String pod) {
            return writes.stream().filter(w -> w.pod().equals(pod)).map(Write::patch).toList();
        }
    }

    @AfterEach
    void close() {
        api.release.countDown();
        statuses.close();
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().endSpec().build();
    }

    private static PodStatus status(String message) {
        return new PodStatusBuilder().withPhase("Pending").withMessage(message).build();
    }

    private String messageOf(String patch) {
        return (String) statusOf(patch).get("message");
    }

    /** Once no sender has the pod, what the API got of it is final: nothing more is written without a new status. */
    private void awaitSent(String pod) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !statuses.sending("uid-" + pod));
    }

    @Test
    void aSyncDoesNotWaitForTheApiAndOnlyTheNewestOfTheStatusesSetMeanwhileIsWritten() throws Exception {
        Pod pod = pod("web");
        api.hold = "web";
        assertThat(statuses.update(pod, status("ContainerCreating"))).isTrue();
        api.onTheWire.await();

        // the first write is held on the wire: these return at once (else the test times out) and replace each other
        assertThat(statuses.update(pod, status("sandbox made"))).isTrue();
        assertThat(statuses.update(pod, status("pulled"))).isTrue();
        assertThat(statuses.update(pod, status("Running"))).isTrue();
        assertThat(statuses.latest("uid-web").getMessage()).as("the next sync builds on the newest status").isEqualTo("Running");
        assertThat(api.writes).isEmpty();

        api.release.countDown();
        awaitSent("web");
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("ContainerCreating", "Running");
    }

    @Test
    void anotherPodsWriteDoesNotWaitForAWriteOnTheWire() throws Exception {
        api.hold = "slow";
        statuses.update(pod("slow"), status("Running"));
        api.onTheWire.await();
        statuses.update(pod("web"), status("Running"));
        awaitSent("web");
        assertThat(api.patchesOf("web")).hasSize(1);
        assertThat(api.patchesOf("slow")).as("still on the wire").isEmpty();
    }

    @Test
    void aStatusIdenticalToTheNewestIsNotSentAgain() {
        Pod pod = pod("web");
        assertThat(statuses.update(pod, status("Running"))).isTrue();
        awaitSent("web");
        assertThat(statuses.update(pod, status("Running"))).as("the same status, a new object").isFalse();
        awaitSent("web");
        assertThat(api.patchesOf("web")).hasSize(1);
    }

    @Test
    void aStatusThatChangedAndChangedBackBeforeItsRetryIsNotSent() throws Exception {
        Pod pod = pod("web");
        statuses.update(pod, status("Running"));
        awaitSent("web");

        // the next write fails; before its retry the status is back to what the API has
        api.hold = "web";
        api.failures = 1;
        assertThat(statuses.update(pod, status("probe failed"))).isTrue();
        api.onTheWire.await();
        assertThat(statuses.update(pod, status("Running"))).isTrue();
        api.release.countDown();

        awaitSent("web");
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("Running");
    }

    @Test
    void aStatusTheApiAlreadyHasIsNotSent() {
        // a restarted kubelet adopting a running pod: its status as computed is the one the API holds
        Pod pod = new PodBuilder(pod("web")).withStatus(status("Running")).build();
        statuses.update(pod, status("Running"));
        awaitSent("web");
        assertThat(api.patchesOf("web")).isEmpty();
        assertThat(statuses.latest("uid-web").getMessage()).isEqualTo("Running");
    }

    @Test
    void aFailedWriteIsRetriedWithTheNewestStatus() throws Exception {
        Pod pod = pod("web");
        api.failures = 1;
        api.hold = "web";
        statuses.update(pod, status("ContainerCreating"));
        api.onTheWire.await();
        statuses.update(pod, status("Running"));
        api.release.countDown();

        awaitSent("web");
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("Running");
    }

    @Test
    void aFailedWriteIsRetriedOnItsOwn() {
        Pod pod = pod("web");
        api.failures = 2;
        statuses.update(pod, status("Running"));
        awaitSent("web");
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("Running");
    }

    @Test
    void flushReturnsOnceTheNewestStatusIsWritten() throws Exception {
        Pod pod = pod("web");
        api.hold = "web";
        statuses.update(pod, status("Running"));
        api.onTheWire.await();
        statuses.update(pod, status("Succeeded"));

        java.util.concurrent.CompletableFuture<List<String>> flushed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            assertThat(statuses.flush("uid-web")).isTrue();
            return api.patchesOf("web");
        });
        api.release.countDown();
        assertThat(flushed.get(20, TimeUnit.SECONDS)).extracting(this::messageOf).containsExactly("Running", "Succeeded");
        awaitSent("web");
        assertThat(api.patchesOf("web")).as("not written twice").hasSize(2);
    }

    @Test
    void aForgottenPodsQueuedStatusIsNotSent() throws Exception {
        Pod pod = pod("web");
        api.hold = "web";
        statuses.update(pod, status("Running"));
        api.onTheWire.await();
        statuses.update(pod, status("Succeeded"));
        statuses.forget("uid-web");
        assertThat(statuses.latest("uid-web")).isNull();
        api.release.countDown();
        // the write on the wire ends; the sender then finds the pod forgotten before it writes again
        await().atMost(Duration.ofSeconds(20)).until(() -> !api.patchesOf("web").isEmpty());
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("Running");
    }

    @Test
    void fieldsNoLongerReportedAreNulledWhetherTheApiOrOurLastWriteHasThem() {
        Pod pod = new PodBuilder(pod("web")).withStatus(new PodStatusBuilder().withPhase("Pending").withReason("Evicted").build()).build();
        statuses.update(pod, new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.5").addNewPodIP("10.0.0.5").build());
        awaitSent("web");
        statuses.update(pod, new PodStatusBuilder().withPhase("Failed").build());
        awaitSent("web");

        List<String> patches = api.patchesOf("web");
        assertThat(patches).hasSize(2);
        // the pod at hand has a reason, the new status none
        assertThat(statusOf(patches.get(0))).containsEntry("reason", null).containsEntry("podIP", "10.0.0.5")
                .doesNotContainKeys("message");
        // the pod at hand is older than our first write: the address that write added goes too
        assertThat(statusOf(patches.get(1))).containsEntry("phase", "Failed").containsEntry("reason", null)
                .containsEntry("podIP", null).containsEntry("podIPs", null).doesNotContainKeys("message");
    }

    @Test
    void aPatchNamesThePodsUidAndARefusalIsNotRetried() {
        Pod pod = pod("web");
        statuses.update(pod, status("Running"));
        awaitSent("web");
        assertThat(json.unmarshal(api.patchesOf("web").get(0), Map.class).get("metadata"))
                .isEqualTo(Map.of("uid", "uid-web"));

        // the pod of that name is another one by now: the API refuses, and the status is not sent again
        api.refuse = true;
        statuses.update(pod, status("Succeeded"));
        awaitSent("web");
        assertThat(api.refused.get()).as("not retried by the sender").isEqualTo(1);
        // a sync that wants it again sends it again (a static pod's mirror pod may exist by then)
        api.refuse = false;
        assertThat(statuses.update(pod, status("Succeeded"))).isTrue();
        awaitSent("web");
        assertThat(api.patchesOf("web")).extracting(this::messageOf).containsExactly("Running", "Succeeded");
    }

    @Test
    void aStaticPodsPatchNamesNoUidForItsMirrorPodHasAnother() {
        Pod pod = new PodBuilder(pod("static-web")).editMetadata()
                .addToAnnotations("kubernetes.io/config.source", "file").endMetadata().build();
        statuses.update(pod, status("Running"));
        awaitSent("static-web");
        assertThat(json.unmarshal(api.patchesOf("static-web").get(0), Map.class)).doesNotContainKey("metadata");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> statusOf(String patch) {
        return (Map<String, Object>) json.unmarshal(patch, Map.class).get("status");
    }
}
