package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class KubectlSmokeTest {

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @Test
    void versionAndResources() {
        Kubectl.Result version = cluster.kubectl().run("version");
        assertThat(version.all()).contains("Server Version: v1.32.0-kube4j");
        assertThat(cluster.kubectl().run("api-resources").ok().out()).contains("deployments", "deploy", "apps/v1");
    }

    @Test
    void apiResourcesListTheRuntimeCsiAndComponentStatusTypes() {
        String out = cluster.kubectl().run("api-resources", "--no-headers").ok().out();
        assertThat(out).containsPattern("(?m)^componentstatuses\\s+cs\\s+v1\\s+false\\s+ComponentStatus$")
                .containsPattern("(?m)^runtimeclasses\\s+node.k8s.io/v1\\s+false\\s+RuntimeClass$")
                .containsPattern("(?m)^csidrivers\\s+storage.k8s.io/v1\\s+false\\s+CSIDriver$")
                .containsPattern("(?m)^csinodes\\s+storage.k8s.io/v1\\s+false\\s+CSINode$")
                .containsPattern("(?m)^csistoragecapacities\\s+storage.k8s.io/v1\\s+true\\s+CSIStorageCapacity$")
                .containsPattern("(?m)^volumeattachments\\s+storage.k8s.io/v1\\s+false\\s+VolumeAttachment$");
    }

    @Test
    void getComponentStatusesWarnsAndPrintsUpstreamsColumns() {
        Kubectl.Result result = cluster.kubectl().run("get", "cs").ok();
        assertThat(result.err()).contains("Warning: v1 ComponentStatus is deprecated in v1.19+");
        // the test server runs no scheduler or controller manager: no Lease tells, so they are not reported Healthy
        assertThat(result.out()).containsPattern("NAME\\s+STATUS\\s+MESSAGE\\s+ERROR")
                .containsPattern("(?m)^scheduler\\s+Unhealthy\\s+no Lease kube-system/kube-scheduler")
                .containsPattern("(?m)^controller-manager\\s+Unhealthy\\s+no Lease kube-system/kube-controller-manager")
                .containsPattern("(?m)^etcd-0\\s+Healthy\\s+ok");
    }
}
