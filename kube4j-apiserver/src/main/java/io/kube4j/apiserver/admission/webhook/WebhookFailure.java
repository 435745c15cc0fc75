package io.kube4j.apiserver.admission.webhook;

/**
 * A webhook could not be called or answered something unusable: upstream's ErrCallingWebhook, the one kind of
 * failure {@code failurePolicy: Ignore} lets pass.
 */
final class WebhookFailure extends Exception {

    WebhookFailure(String message) {
        super(message);
    }
}
