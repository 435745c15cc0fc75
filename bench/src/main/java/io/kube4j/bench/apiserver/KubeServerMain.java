package io.kube4j.bench.apiserver;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.store.embedded.EmbeddedStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Child JVM: kube4j's API server over an embedded store in the directory given as the only argument. */
public final class KubeServerMain {
    private KubeServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        ApiServer server = ApiServer.start(store, new InetSocketAddress("127.0.0.1", 0), dir);
        ServerChild.serve(server.port(), () -> {
            server.close();
            store.close();
        });
    }
}
