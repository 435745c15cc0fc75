package io.kube4j.scheduler.plugins.defaultbinder;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The POST to pods/binding, checked against the mock server in expectations mode. */
@EnableKubernetesMockClient
class DefaultBinderTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private DefaultBinder binder() {
        return new DefaultBinder(new Handle() {
            @Override public Snapshot snapshot() { return null; }
            @Override public Parallelizer parallelizer() { return null; }
            @Override public KubernetesClient client() { return client; }
            @Override public Framework framework() { return null; }
        });
    }

    @Test
    void postsABindingToThePodsBindingSubresource() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/default/pods/web/binding").andReturn(201, "{}").once();
        Status s = binder().bind(new CycleState(), Pods.pod("web").info(), "node-7");
        assertThat(s.isSuccess()).isTrue();
        RecordedRequest req = server.takeRequest();
        assertThat(req.getMethod()).isEqualTo("POST");
        assertThat(req.getPath()).isEqualTo("/api/v1/namespaces/default/pods/web/binding");
        Binding b = client.getKubernetesSerialization().unmarshal(req.getBody().readUtf8(), Binding.class);
        assertThat(b.getTarget().getKind()).isEqualTo("Node");
        assertThat(b.getTarget().getName()).isEqualTo("node-7");
        assertThat(b.getMetadata().getName()).isEqualTo("web");
        assertThat(b.getMetadata().getUid()).isEqualTo("uid-default-web");
    }

    @Test
    void aConflictIsAnError() {
        server.expect().post().withPath("/api/v1/namespaces/default/pods/web/binding")
                .andReturn(409, "{\"kind\":\"Status\",\"message\":\"pod web is already assigned to node n1\"}").once();
        Status s = binder().bind(new CycleState(), Pods.pod("web").info(), "node-7");
        assertThat(s.isSuccess()).isFalse();
        assertThat(s.message()).contains("409").contains("already assigned");
    }
}
