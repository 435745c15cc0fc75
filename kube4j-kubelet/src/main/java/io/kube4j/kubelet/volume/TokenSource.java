package io.kube4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;

/** Issues service account tokens bound to a pod (the TokenRequest API). */
public interface TokenSource {
    /** @return the token, or an empty string when the API server does not offer TokenRequest */
    String token(Pod pod, String serviceAccount, String audience, long expirationSeconds);
}
