package io.kube4j.apiserver.endpoints;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestInfoTest {

    @Test
    void namespacedObjectWithSubresource() {
        RequestInfo info = RequestInfo.parse("PUT", "/api/v1/namespaces/ns/pods/p/status", false);
        assertThat(info).isEqualTo(new RequestInfo("update", "", "v1", "ns", "pods", "p", "status"));
    }

    @Test
    void groupedCollectionsAndVerbs() {
        assertThat(RequestInfo.parse("GET", "/apis/apps/v1/namespaces/ns/deployments", false).verb()).isEqualTo("list");
        assertThat(RequestInfo.parse("GET", "/apis/apps/v1/namespaces/ns/deployments", true).verb()).isEqualTo("watch");
        assertThat(RequestInfo.parse("GET", "/apis/apps/v1/deployments", false).namespace()).isNull();
        assertThat(RequestInfo.parse("DELETE", "/api/v1/namespaces/ns/pods", false).verb()).isEqualTo("deletecollection");
        assertThat(RequestInfo.parse("DELETE", "/api/v1/namespaces/ns/pods/x", false).verb()).isEqualTo("delete");
        assertThat(RequestInfo.parse("PATCH", "/apis/apps/v1/namespaces/ns/deployments/d/scale", false))
                .isEqualTo(new RequestInfo("patch", "apps", "v1", "ns", "deployments", "d", "scale"));
    }

    @Test
    void namespacesThemselves() {
        assertThat(RequestInfo.parse("GET", "/api/v1/namespaces/ns", false))
                .isEqualTo(new RequestInfo("get", "", "v1", null, "namespaces", "ns", null));
        assertThat(RequestInfo.parse("PUT", "/api/v1/namespaces/ns/finalize", false))
                .isEqualTo(new RequestInfo("update", "", "v1", null, "namespaces", "ns", "finalize"));
    }

    @Test
    void legacyWatchPrefix() {
        RequestInfo info = RequestInfo.parse("GET", "/api/v1/watch/namespaces/ns/pods", false);
        assertThat(info.verb()).isEqualTo("watch");
        assertThat(info.namespace()).isEqualTo("ns");
    }

    @Test
    void discoveryPathsAreNotResources() {
        assertThat(RequestInfo.parse("GET", "/api/v1", false)).isNull();
        assertThat(RequestInfo.parse("GET", "/apis/apps/v1", false)).isNull();
        assertThat(RequestInfo.parse("GET", "/apis/apps", false)).isNull();
        assertThat(RequestInfo.parse("GET", "/version", false)).isNull();
        assertThat(RequestInfo.parse("GET", "/api/v1/namespaces/a/pods/b/c/d", false)).isNull();
        // only a proxy subresource carries a path of its own
        assertThat(RequestInfo.parse("GET", "/api/v1/nodes/n1/proxy/stats/summary", false))
                .isEqualTo(new RequestInfo("get", "", "v1", null, "nodes", "n1", "proxy"));
    }
}
