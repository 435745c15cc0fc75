package io.kube4j.scheduler.watch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PodWatch's event handling on the JSON an API server sends: headers read without decoding, the full Pod decoded
 * from the event's own bytes when asked, the last state per pod for updates and deletions, bookmarks and ERROR.
 * No server: the client only supplies the serialization (it never connects).
 */
class PodWatchTest {
    private final KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build()).build();
    private final List<String> calls = new ArrayList<>();
    private final List<Supplier<Pod>> fulls = new ArrayList<>();
    private final List<Pod> oldPods = new ArrayList<>();
    private boolean decodeOnAdd = true;

    private final PodWatch.Handler handler = new PodWatch.Handler() {
        @Override public void added(PodHeader pod, Supplier<Pod> full) {
            calls.add("added " + describe(pod));
            fulls.add(full);
            if (decodeOnAdd) full.get();
        }

        @Override public void updated(PodHeader old, Pod oldPod, PodHeader pod, Supplier<Pod> full) {
            calls.add("updated " + describe(old) + " -> " + describe(pod));
            fulls.add(full);
            oldPods.add(oldPod);
        }

        @Override public void deleted(PodHeader pod) { calls.add("deleted " + describe(pod)); }
    };
    private final PodWatch watch = new PodWatch(client, handler);

    @AfterEach
    void close() {
        watch.close();
        client.close();
    }

    private static String describe(PodHeader h) {
        return h.key() + " uid=" + h.uid() + " rv=" + h.resourceVersion() + " node=" + h.nodeName() + " phase=" + h.phase()
                + " deleting=" + h.deleting() + " gated=" + h.gated() + " labels=" + h.labels() + " scheduler=" + h.schedulerName();
    }

    private boolean send(String type, Pod pod) {
        String json = "{\"type\":\"" + type + "\",\"object\":" + client.getKubernetesSerialization().asJson(pod) + "}";
        return watch.event(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Pod pod(String rv, String node) {
        Pod p = Pods.pod("web").cpu("1").label("app", "web").nodeName(node).build();
        p.getMetadata().setUid("u1");
        p.getMetadata().setResourceVersion(rv);
        p.getMetadata().setManagedFields(List.of(new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                .withManager("kubectl").withOperation("Update").build()));
        return new PodBuilder(p).editSpec().withSchedulerName("default-scheduler").endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    @Test
    void readsHeadersAndDecodesTheEventsOwnPodOnRequest() {
        Pod pending = pod("5", null);
        assertThat(send("ADDED", pending)).isFalse();
        assertThat(calls).containsExactly("added default/web uid=u1 rv=5 node=null phase=Pending deleting=false gated=false"
                + " labels={app=web} scheduler=default-scheduler");
        // The slice handed to the decoder is the event's object, less its managedFields.
        Pod expected = new PodBuilder(pending).editMetadata().withManagedFields().endMetadata().build();
        expected.getMetadata().setManagedFields(List.of());
        Pod decoded = fulls.get(0).get();
        assertThat(decoded.getMetadata().getManagedFields()).isEmpty();
        assertThat(decoded).isEqualTo(expected);
    }

    @Test
    void cutsAPropertyWithTheCommaThatKeepsTheJsonValid() {
        byte[] middle = "{\"a\":1,\"m\":[{}],\"b\":2}".getBytes(StandardCharsets.UTF_8);
        assertThat(PodWatch.cut(middle, 7, 15)).containsExactly(7, 16);
        byte[] last = "{\"a\":1, \"m\":[{}] }".getBytes(StandardCharsets.UTF_8);
        assertThat(PodWatch.cut(last, 8, 16)).containsExactly(6, 16);
        byte[] only = "{\"m\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(PodWatch.cut(only, 1, 7)).containsExactly(1, 7);
        assertThat(PodWatch.cut(only, -1, -1)).containsExactly(-1, -1);
    }

    @Test
    void updatesCarryThePreviousStateAndTheUnboundPodThatWasDecoded() {
        Pod pending = pod("5", null);
        send("ADDED", pending);
        decodeOnAdd = false;
        send("MODIFIED", pod("6", "n1"));
        assertThat(calls.get(1)).isEqualTo("updated default/web uid=u1 rv=5 node=null phase=Pending deleting=false gated=false"
                + " labels={app=web} scheduler=default-scheduler -> default/web uid=u1 rv=6 node=n1 phase=Pending deleting=false"
                + " gated=false labels={app=web} scheduler=default-scheduler");
        assertThat(oldPods.get(0).getMetadata().getName()).isEqualTo("web");
        assertThat(oldPods.get(0).getMetadata().getResourceVersion()).isEqualTo("5");
        // A bound pod's Pod is not kept: its next update compares headers only.
        send("MODIFIED", pod("7", "n1"));
        assertThat(oldPods.get(1)).isNull();
        send("DELETED", pod("8", "n1"));
        assertThat(calls.get(3)).startsWith("deleted default/web uid=u1 rv=7 node=n1");
        // Forgotten after the deletion: the same name again is an addition.
        send("ADDED", pod("9", null));
        assertThat(calls.get(4)).startsWith("added default/web uid=u1 rv=9");
    }

    @Test
    void readsDeletionGatesAndTerminalPhases() {
        Pod p = new PodBuilder(pod("5", null)).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .editSpec().addNewSchedulingGate().withName("example.com/wait").endSchedulingGate().endSpec()
                .editStatus().withPhase("Succeeded").endStatus().build();
        send("ADDED", p);
        assertThat(calls.get(0)).contains("phase=Succeeded deleting=true gated=true");
    }

    @Test
    void bookmarksAreNotEventsAndAnErrorAsksForARelist() {
        assertThat(watch.event(("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"42\"}}}").getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(calls).isEmpty();
        assertThat(watch.event(("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"Expired\",\"code\":410}}").getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(calls).isEmpty();
    }

    @Test
    void unreadableEventsAreSkipped() {
        assertThat(watch.event("{\"type\":\"ADDED\",\"object\":{\"metadata\":".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(calls).isEmpty();
        send("ADDED", pod("5", null));
        assertThat(calls).hasSize(1);
    }
}
