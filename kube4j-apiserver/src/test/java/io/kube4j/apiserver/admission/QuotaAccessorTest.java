package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The look-asides of quota admission's reads, on a clock the test moves. */
class QuotaAccessorTest {

    final FakeLookup store = new FakeLookup();
    final AtomicInteger liveLists = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong();
    /** A watch cache that has seen no quota at all; the store answers the live lists. */
    final ObjectLookup emptyCache = new ObjectLookup() {
        @Override
        public Optional<ObjectNode> get(String resource, String namespace, String name) {
            return store.get(resource, namespace, name);
        }

        @Override
        public List<ObjectNode> list(String resource, String namespace) {
            return List.of();
        }

        @Override
        public List<ObjectNode> listLatest(String resource, String namespace) {
            liveLists.incrementAndGet();
            return store.list(resource, namespace);
        }
    };
    final QuotaAccessor accessor = new QuotaAccessor(emptyCache, quota -> Optional.of(quota), nanos::get);

    ObjectNode quota(String name, String resourceVersion) {
        ObjectNode quota = FakeLookup.object("ns", name, "uid-" + name);
        Json.metadata(quota).put("resourceVersion", resourceVersion);
        return store.put("resourcequotas", quota);
    }

    @Test
    void aNamespaceTheCacheHasNoQuotaForIsListedLiveOncePerTtl() {
        quota("q", "5");

        assertThat(accessor.quotas("ns")).extracting(q -> Json.text(q, "metadata", "name")).containsExactly("q");
        nanos.addAndGet(QuotaAccessor.LIVE_TTL.toNanos() - 1);
        assertThat(accessor.quotas("ns")).hasSize(1);
        assertThat(liveLists).as("live lists within the TTL").hasValue(1);

        nanos.addAndGet(1);
        accessor.quotas("ns");
        assertThat(liveLists).as("live lists once the TTL has passed").hasValue(2);
    }

    @Test
    void theVersionAdmissionWroteWinsUntilTheReadsCatchUpWithIt() {
        ObjectNode cached = quota("q", "5");
        ObjectNode charged = cached.deepCopy();
        Json.metadata(charged).put("resourceVersion", "7");
        assertThat(accessor.tryUpdateStatus(charged)).isTrue();

        assertThat(accessor.quotas("ns")).singleElement()
                .satisfies(q -> assertThat(Json.text(q, "metadata", "resourceVersion")).isEqualTo("7"));

        // someone else wrote since: the store's version is newer (as a number) than admission's, which is forgotten
        quota("q", "10");
        assertThat(accessor.latest("ns")).singleElement()
                .satisfies(q -> assertThat(Json.text(q, "metadata", "resourceVersion")).isEqualTo("10"));
    }
}
