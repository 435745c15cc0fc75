package io.kube4j.runtime.image;

import io.kube4j.cri.v1.AuthConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Pulls through a registry, but an image already in the store (imported from an archive on an
 * air-gapped node) still satisfies a pull the registry cannot serve: {@code :latest} images are
 * pulled on every pod start by default, and must keep working offline. A registry that refuses the
 * credentials is not "offline": the local copy is not handed out then, or {@code imagePullPolicy:
 * Always} would no longer keep a pod without credentials away from a private image.
 */
public final class FallbackPuller implements ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackPuller.class);
    private final ImageStore store;
    private final ImagePuller remote;

    public FallbackPuller(ImageStore store, ImagePuller remote) {
        this.store = store;
        this.remote = remote;
    }

    @Override
    public ImageRecord pull(ImageReference reference, AuthConfig auth) {
        try {
            return remote.pull(reference, auth);
        } catch (RegistryAuthException e) {
            throw e;
        } catch (RuntimeException e) {
            Optional<ImageRecord> local = store.find(reference.toString());
            if (local.isPresent()) {
                LOG.info("using local image for {}: the registry could not serve it ({})", reference, e.getMessage());
                return local.get();
            }
            throw e;
        }
    }
}
