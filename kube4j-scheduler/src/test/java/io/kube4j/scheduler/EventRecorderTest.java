package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written Scheduled/FailedScheduling event body reads back as the Event the model would have built. */
class EventRecorderTest {
    @Test
    void eventJsonIsACompleteCoreV1Event() {
        Pod pod = Pods.pod("web").build();
        pod.getMetadata().setResourceVersion("42");
        try (EventRecorder r = new EventRecorder(null, "sched-\"1\"", 1)) {
            String json = r.eventJson(pod, "default-scheduler", "Warning", "FailedScheduling", "Scheduling",
                    "0/3 nodes are available: 1 node(s) had untolerated taint {k: \"v\"}.\npreemption: none");
            Event e = new KubernetesSerialization().unmarshal(json, Event.class);
            assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(e.getMetadata().getName()).startsWith("web.");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("default");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
            assertThat(e.getInvolvedObject().getResourceVersion()).isEqualTo("42");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("FailedScheduling");
            assertThat(e.getAction()).isEqualTo("Scheduling");
            assertThat(e.getMessage()).isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {k: \"v\"}.\npreemption: none");
            assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
            assertThat(e.getReportingComponent()).isEqualTo("default-scheduler");
            assertThat(e.getReportingInstance()).isEqualTo("sched-\"1\"");
            assertThat(e.getFirstTimestamp()).isNotBlank().isEqualTo(e.getLastTimestamp());
            assertThat(e.getCount()).isEqualTo(1);
            // Two events about the same pod never share a name.
            Event again = new KubernetesSerialization().unmarshal(r.eventJson(pod, "c", "Normal", "Scheduled", "Binding", "m"), Event.class);
            assertThat(again.getMetadata().getName()).isNotEqualTo(e.getMetadata().getName());
        }
    }
}
