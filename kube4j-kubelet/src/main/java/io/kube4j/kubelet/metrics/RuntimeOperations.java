package io.kube4j.kubelet.metrics;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every CRI call the kubelet makes, as upstream's instrumented runtime service does: per operation type
 * ({@code run_podsandbox}, {@code create_container}, ...) the calls, the failed calls and their durations. It sits on
 * the gRPC channel, so no call site can forget it.
 */
public final class RuntimeOperations implements ClientInterceptor {

    /** Upstream's kubelet_runtime_operations_duration_seconds buckets: ExponentialBuckets(.005, 2.5, 14). */
    static final double[] DURATION_BUCKETS = Histogram.exponential(0.005, 2.5, 14);

    /** One operation type's figures. */
    public static final class Operation {
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Histogram duration = new Histogram(DURATION_BUCKETS);

        public long calls() {
            return calls.sum();
        }

        public long errors() {
            return errors.sum();
        }
    }

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String type = operationType(method.getBareMethodName());
        long start = System.nanoTime();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        record(type, (System.nanoTime() - start) / 1e9, status.isOk());
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }

    void record(String type, double seconds, boolean ok) {
        Operation op = operations.computeIfAbsent(type, k -> new Operation());
        op.calls.increment();
        op.duration.observe(seconds);
        if (!ok) {
            op.errors.increment();
        }
    }

    /** A snapshot sorted by operation type. */
    public Map<String, Operation> snapshot() {
        return new TreeMap<>(operations);
    }

    /**
     * Upstream's operation names: the CRI method in snake case, with "PodSandbox" as one word
     * ({@code RunPodSandbox} -> {@code run_podsandbox}, {@code ListContainerStats} -> {@code list_container_stats}).
     */
    static String operationType(String method) {
        if (method == null || method.isEmpty()) {
            return "unknown";
        }
        String m = method.replace("PodSandbox", "Podsandbox");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
