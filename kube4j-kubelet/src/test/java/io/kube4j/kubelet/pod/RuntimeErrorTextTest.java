package io.kube4j.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Runtime errors in events read as upstream's kubelet writes them (grpc-go's status text). */
class RuntimeErrorTextTest {

    @Test
    void codesAreNamedAsGrpcGoNamesThem() {
        assertThat(PodSyncer.describe(Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException()))
                .isEqualTo("rpc error: code = InvalidArgument desc = bad");
        assertThat(PodSyncer.goCodeName(Status.Code.UNKNOWN)).isEqualTo("Unknown");
        assertThat(PodSyncer.goCodeName(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
        assertThat(PodSyncer.goCodeName(Status.Code.CANCELLED)).isEqualTo("Canceled");
        assertThat(PodSyncer.goCodeName(Status.Code.OK)).isEqualTo("OK");
    }
}
