package io.kube4j.apiserver.protobuf;

import io.kube4j.api.status.StatusException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeProtobufTest {

    /** A tiny protobuf writer for building test bodies. */
    private static final class W {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        W varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        W tag(int number, int wire) {
            return varint((long) number << 3 | wire);
        }

        W string(int number, String s) {
            return bytes(number, s.getBytes(StandardCharsets.UTF_8));
        }

        W bytes(int number, byte[] b) {
            tag(number, 2).varint(b.length);
            out.writeBytes(b);
            return this;
        }

        W message(int number, W nested) {
            return bytes(number, nested.out.toByteArray());
        }

        W num(int number, long v) {
            return tag(number, 0).varint(v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static byte[] envelope(String apiVersion, String kind, W raw) {
        W unknown = new W().message(1, new W().string(1, apiVersion).string(2, kind)).bytes(2, raw.bytes())
                .string(3, "").string(4, "");
        byte[] body = unknown.bytes();
        byte[] out = new byte[body.length + 4];
        out[0] = 'k';
        out[1] = '8';
        out[2] = 's';
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    @Test
    void decodesAConfigMapAsKubectlSendsIt() {
        W meta = new W().string(1, "c1").string(2, "").string(3, "").num(7, 0)
                .message(8, new W().num(1, -62135596800L).num(2, 0))
                .message(11, new W().string(1, "app").string(2, "x"));
        W cm = new W().message(1, meta).message(2, new W().string(1, "a").string(2, "b"))
                .message(2, new W().string(1, "x").string(2, "y"));
        ObjectNode obj = KubeProtobuf.decode(envelope("v1", "ConfigMap", cm));
        assertThat(obj.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c1\","
                + "\"labels\":{\"app\":\"x\"}},\"data\":{\"a\":\"b\",\"x\":\"y\"}}");
    }

    @Test
    void pointerFieldsKeepZeroAndIntOrStringKeepsItsType() {
        W spec = new W().num(1, 0).message(4, new W().string(1, "RollingUpdate")
                .message(2, new W().message(1, new W().num(1, 1).string(3, "25%"))
                        .message(2, new W().num(1, 0).num(2, 1))));
        ObjectNode obj = KubeProtobuf.decode(envelope("apps/v1", "Deployment", new W().message(2, spec)));
        assertThat(obj.path("spec").path("replicas").asInt(-1)).isZero();
        assertThat(obj.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asString())
                .isEqualTo("25%");
        assertThat(obj.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asInt()).isEqualTo(1);
    }

    @Test
    void unknownNonZeroFieldsAndKindsAreRefused() {
        W cm = new W().string(99, "something");
        assertThatThrownBy(() -> KubeProtobuf.decode(envelope("v1", "ConfigMap", cm)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(415));
        assertThatThrownBy(() -> KubeProtobuf.decode(envelope("v1", "Widget", new W())))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(415));
        // a zero value of an unknown field is the same as its absence
        assertThat(KubeProtobuf.decode(envelope("v1", "ConfigMap", new W().string(99, "").num(98, 0))).has("data"))
                .isFalse();
    }

    @Test
    void garbageIsABadRequest() {
        assertThatThrownBy(() -> KubeProtobuf.decode(new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> KubeProtobuf.decode(new byte[] {'k', '8', 's', 0, 0x12, 0x7F}))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
