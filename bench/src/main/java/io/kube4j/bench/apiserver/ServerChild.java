package io.kube4j.bench.apiserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The control loop of a server child JVM: it announces its port, answers "heap" with the heap used after a
 * full GC, and stops its server when its stdin closes (so a dead parent never leaves a server behind).
 */
final class ServerChild {
    private ServerChild() {
    }

    static void serve(int port, AutoCloseable server) throws Exception {
        System.out.println("PORT " + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("heap")) {
                System.out.println("HEAP " + heapUsedAfterGc());
                System.out.flush();
            } else if (line.equals("alloc")) {
                System.out.println("ALLOC " + allocatedBytes());
                System.out.flush();
            }
        }
        server.close();
        System.exit(0);
    }

    /**
     * Bytes the live threads have allocated so far (threads that ended are not counted; the servers' request,
     * event-loop and store threads are pooled): the garbage a phase makes, which sets how often young GCs pause
     * every request, whatever else the machine runs.
     */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private static long heapUsedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
