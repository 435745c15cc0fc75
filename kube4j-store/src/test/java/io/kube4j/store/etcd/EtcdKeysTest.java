package io.kube4j.store.etcd;

import io.etcd.jetcd.ByteSequence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdKeysTest {

    @Test
    void theEndOfAPrefixRangeIsThePrefixWithItsLastByteIncremented() {
        assertThat(EtcdKeys.rangeEnd("/registry/pods/")).isEqualTo(ByteSequence.from(new byte[] {
                '/', 'r', 'e', 'g', 'i', 's', 't', 'r', 'y', '/', 'p', 'o', 'd', 's', '0'}));
    }

    @Test
    void trailingFfBytesAreDroppedBeforeIncrementing() {
        // U+FFFF encodes as EF BF BF; no 0xFF byte, so the last byte is incremented.
        assertThat(EtcdKeys.rangeEnd("a\uffff").getBytes()).containsExactly('a', 0xef, 0xbf, 0xc0);
    }

    @Test
    void anEmptyPrefixCoversEveryKey() {
        assertThat(EtcdKeys.rangeStart("").getBytes()).containsExactly(0);
        assertThat(EtcdKeys.rangeEnd("").getBytes()).containsExactly(0);
    }

    @Test
    void aPageStartsAtFromKeyOnlyInsideThePrefix() {
        assertThat(EtcdKeys.pageStart("/p/", null).toString()).isEqualTo("/p/");
        assertThat(EtcdKeys.pageStart("/p/", "/p/b").toString()).isEqualTo("/p/b");
        assertThat(EtcdKeys.pageStart("/p/", "/a").toString()).isEqualTo("/p/");
    }
}
