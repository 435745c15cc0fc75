package io.kube4j.store.embedded;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {
    private final CRC32C crc = new CRC32C();

    private ByteBuffer frame(WalRecord r) {
        ByteBuffer buf = ByteBuffer.allocate(RecordCodec.maxFramedSize(r));
        RecordCodec.encode(r, buf, crc);
        buf.flip();
        return buf;
    }

    private WalRecord roundTrip(WalRecord r) {
        ByteBuffer buf = frame(r);
        int length = buf.getInt();
        int checksum = buf.getInt();
        assertThat(length).isEqualTo(buf.remaining());
        ByteBuffer payload = buf.slice();
        assertThat(RecordCodec.checksum(payload, crc)).isEqualTo(checksum);
        return RecordCodec.decode(payload);
    }

    @Test
    void everyRecordTypeRoundTrips() {
        WalRecord.Put put = (WalRecord.Put) roundTrip(new WalRecord.Put(7, "/registry/pods/ns/ünïcødé", new byte[]{1, 2, 3}, 42));
        assertThat(put.revision()).isEqualTo(7);
        assertThat(put.key()).isEqualTo("/registry/pods/ns/ünïcødé");
        assertThat(put.value()).containsExactly(1, 2, 3);
        assertThat(put.lease()).isEqualTo(42);
        assertThat(roundTrip(new WalRecord.Delete(8, "/k"))).isEqualTo(new WalRecord.Delete(8, "/k"));
        assertThat(roundTrip(new WalRecord.LeaseGrant(5, 30))).isEqualTo(new WalRecord.LeaseGrant(5, 30));
        assertThat(roundTrip(new WalRecord.LeaseRevoke(9, 5, List.of("/a", "/b"))))
                .isEqualTo(new WalRecord.LeaseRevoke(9, 5, List.of("/a", "/b")));
        assertThat(roundTrip(new WalRecord.Compact(4))).isEqualTo(new WalRecord.Compact(4));
        assertThat(((WalRecord.Put) roundTrip(new WalRecord.Put(2, "k", new byte[0], 0))).value()).isEmpty();
    }

    @Test
    void aFlippedBitChangesTheChecksum() {
        ByteBuffer buf = frame(new WalRecord.Put(7, "/k", new byte[100], 0));
        int checksum = buf.getInt(4);
        buf.put(50, (byte) (buf.get(50) ^ 0x10));
        ByteBuffer payload = buf.position(8).slice();
        assertThat(RecordCodec.checksum(payload, crc)).isNotEqualTo(checksum);
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> RecordCodec.decode(ByteBuffer.wrap(new byte[]{99, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class);
        ByteBuffer buf = frame(new WalRecord.Delete(8, "/k"));
        ByteBuffer truncated = ByteBuffer.wrap(buf.array(), 8, buf.limit() - 9).slice();
        assertThatThrownBy(() -> RecordCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    }
}
