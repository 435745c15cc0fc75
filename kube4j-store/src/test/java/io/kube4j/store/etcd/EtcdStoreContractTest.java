package io.kube4j.store.etcd;

import io.kube4j.store.Store;
import io.kube4j.store.StoreContractTest;
import io.kube4j.store.testing.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract against a real etcd: one etcd for the whole class (tests keep to their own key
 * prefixes), plus a fresh one for the test that needs a never-written store.
 */
class EtcdStoreContractTest extends StoreContractTest {
    private static EtcdProcess etcd;
    private EtcdProcess emptyEtcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.startSingle();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.stop();
        }
    }

    @AfterEach
    void stopEmptyEtcd() {
        if (emptyEtcd != null) {
            emptyEtcd.stop();
        }
    }

    @Override
    protected Store newStore() {
        return EtcdStore.connect(etcd.endpoints());
    }

    @Override
    protected Store newEmptyStore() {
        emptyEtcd = EtcdProcess.startSingle();
        return EtcdStore.connect(emptyEtcd.endpoints());
    }
}
