package io.kube4j.runtime.image;

import io.kube4j.cri.v1.AuthConfig;

/** Fetches images from registries into the store. */
public interface ImagePuller {
    ImageRecord pull(ImageReference reference, AuthConfig auth);
}
