package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.framework.Expectations;
import io.kube4j.controllers.framework.Keys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job controller's deletion expectations when the API server refuses a deletion part-way. */
class JobPodDeletionsTest {
    static final String JOB = "ns/job";

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata().build();
    }

    @Test
    void aRefusedDeletionLeavesOnlyTheIssuedDeletionsExpected() {
        Expectations expectations = new Expectations();
        List<Pod> pods = List.of(pod("a"), pod("b"), pod("c"));
        List<String> issued = new ArrayList<>();
        assertThatThrownBy(() -> JobController.deletePods(JOB, pods, expectations, p -> {
            if (p.getMetadata().getName().equals("b")) {
                throw new KubernetesClientException("etcdserver: request timed out", 500, null);
            }
            issued.add(p.getMetadata().getName());
        })).isInstanceOf(KubernetesClientException.class);

        assertThat(issued).containsExactly("a");
        // only a's deletion can ever be observed: once it is, the job may create pods again
        assertThat(expectations.satisfied(JOB)).isFalse();
        assertThat(expectations.pendingDeletions(JOB)).isEqualTo(1);
        expectations.deletionObserved(JOB, Keys.of(pods.get(0)));
        assertThat(expectations.satisfied(JOB)).isTrue();
    }

    @Test
    void aPodAlreadyGoneIsNotWaitedForAndTheOthersAreStillDeleted() {
        Expectations expectations = new Expectations();
        List<Pod> pods = List.of(pod("gone"), pod("b"));
        int deleted = JobController.deletePods(JOB, pods, expectations, p -> {
            if (p.getMetadata().getName().equals("gone")) {
                throw new KubernetesClientException("not found", 404, null);
            }
        });
        assertThat(deleted).isEqualTo(1);
        assertThat(expectations.pendingDeletions(JOB)).isEqualTo(1);
        expectations.deletionObserved(JOB, Keys.of(pods.get(1)));
        assertThat(expectations.satisfied(JOB)).isTrue();
    }
}
