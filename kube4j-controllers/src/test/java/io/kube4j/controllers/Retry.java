package io.kube4j.controllers;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Test edits race with controllers writing the same object: retry on conflict as any client would. */
public final class Retry {
    private Retry() {
    }

    public static void onConflict(Runnable edit) {
        for (int i = 0; ; i++) {
            try {
                edit.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || i >= 50) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
